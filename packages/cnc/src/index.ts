/**
 * @clearance/cnc — the manufacturing domain, pure: job model, feasibility rules F001–F041,
 * toolpaths, post-processors and the G-code validator.
 */
export {};
