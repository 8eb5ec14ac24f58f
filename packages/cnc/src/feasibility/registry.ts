/**
 * The rule registry: one entry per rule id, in evaluation order, each explained for the operator.
 * The original registered only F001–F007 and F010–F013; every rule is registered here, and a
 * test pins that the registry and the evaluated rules list the same ids in the same order.
 */
import type { FeasibilityRuleId, RuleLevel } from './types.js';

/** Static explanation of one rule. */
export interface FeasibilityRuleInfo {
  readonly id: FeasibilityRuleId;
  readonly level: RuleLevel;
  /** One line. */
  readonly summary: string;
  /** What is checked and why it matters on the machine. */
  readonly explanation: string;
  /** What the operator can change so the rule no longer fires. */
  readonly fix_hint: string;
}

type Entry = readonly [FeasibilityRuleId, RuleLevel, string, string, string];

const ENTRIES: readonly Entry[] = [
  [
    'F001',
    'RED',
    'Invalid tool diameter',
    'tool_d must be greater than zero; no cutter has a zero or negative diameter, and every offset and stepover is derived from it.',
    'Enter the measured cutting diameter of the end mill (e.g. 6.0 for a 6 mm cutter, 3.175 for 1/8").',
  ],
  [
    'F002',
    'RED',
    'Invalid stepover ratio',
    'stepover is a fraction of the tool diameter and must lie in (0, 0.95]; only the "slot" strategy may use a full-width 1.0. Zero never advances; above the limit leaves ridges and overloads one flute.',
    'Use 0.3–0.5 for pocketing in hardwood, up to about 0.6 in softwood; choose strategy "slot" for full-width cuts.',
  ],
  [
    'F003',
    'RED',
    'Invalid stepdown',
    'stepdown (depth per pass) must be greater than zero, otherwise the job never reaches depth.',
    'Set a positive depth per pass, e.g. 1.0 mm in hardwood or half the tool diameter in softwood.',
  ],
  [
    'F004',
    'RED',
    'Invalid final depth',
    'z_rough is the final cutting depth measured from the top of the stock and must be negative; zero or positive would cut air or put the tool above the work.',
    'Enter the final depth as a negative number, e.g. -3.0 for a 3 mm deep rosette channel.',
  ],
  [
    'F005',
    'RED',
    'Invalid safe Z height',
    'safe_z must be above the stock top (greater than zero) so rapids clear the workpiece and clamps.',
    'Set safe_z above the highest clamp or fixture, typically 5–10 mm.',
  ],
  [
    'F006',
    'RED',
    'No closed geometry',
    'Preflight reports that the selected DXF layer contains no closed paths; pockets and profiles need closed outlines.',
    'Join open segments into closed polylines in your CAD program and export again, or pick the layer that holds the outline.',
  ],
  [
    'F007',
    'RED',
    'No closed loops detected',
    'Preflight counted zero (or fewer) closed loops in the DXF, so there is nothing to machine.',
    'Check the layer name and that outlines (soundhole, rosette rings, cavities) are closed loops.',
  ],
  [
    'F020',
    'RED',
    'Depth of cut too aggressive for hard material',
    'In hard, very-hard or extreme material (ebony, rosewood, composites) a stepdown above 1.5 × tool diameter stalls the spindle or snaps the cutter.',
    'Reduce stepdown to the constraint shown (1.5 × tool_d) or less; ideally 0.5 × tool_d in dense tonewoods.',
  ],
  [
    'F021',
    'RED',
    'Depth-to-diameter ratio exceeds 5:1',
    'A stepdown more than five times the tool diameter bends and breaks the cutter regardless of material.',
    'Take more, shallower passes (stepdown ≤ 5 × tool_d) or use a larger cutter.',
  ],
  [
    'F022',
    'RED',
    'Cut deeper than the stock',
    'The target cut depth exceeds the material thickness: the tool would cut through the part into the spoilboard or fixture.',
    'Check the stock thickness and target depth; use a through-cut operation with tabs if a through cut is intended.',
  ],
  [
    'F023',
    'RED',
    'Zero or negative geometry dimension',
    'Geometry width, length and depth must be positive; a zero or negative value means the design or preflight data is broken. Each bad dimension is reported separately.',
    'Re-export the design and check the reported dimension in the DXF or design parameters.',
  ],
  [
    'F024',
    'RED',
    'Material hardness unknown',
    'The material was declared with hardness "unknown", so feeds and depths cannot be checked against it.',
    'Select the species or a hardness class (soft, medium, hard, very-hard, extreme) for the stock.',
  ],
  [
    'F025',
    'RED',
    'Tool wider than the feature',
    'The tool diameter exceeds the geometry width: the cutter physically cannot fit into the pocket or channel.',
    'Use a tool no wider than the feature (see constraint), e.g. a 1.5 mm cutter for a 2 mm purfling channel.',
  ],
  [
    'F026',
    'RED',
    'Tool stickout too long for its diameter',
    'Stickout above 8 × tool diameter (5 × in hard material) makes the cutter deflect and chatter, ruining the edge and risking breakage.',
    'Collet the tool deeper so stickout is only slightly longer than the cut depth, or use a larger-diameter cutter.',
  ],
  [
    'F027',
    'RED',
    'Thermal risk in resinous material',
    'Resinous stock (e.g. cocobolo, pine) gums up and burns: a tool under 3 mm without coolant or air blast clogs and snaps, and very hard or extreme resinous material is a thermal risk with any tool. Each condition is a separate hit.',
    'Enable coolant or air blast, use a tool of at least 3 mm, and for very hard resinous woods reduce feeds and rethink the operation.',
  ],
  [
    'F028',
    'RED',
    'Wall below structural minimum',
    'A wall thinner than 1.0 mm (e.g. between a binding channel and a cavity) breaks or tears out during machining.',
    'Redesign to keep at least 1.0 mm of wall (2.0 mm avoids the F036 warning), or leave the wall for hand finishing.',
  ],
  [
    'F029',
    'RED',
    'Several unsafe conditions combined',
    'Three or more of: hard material (hard, very-hard, extreme), tool under 3 mm, stepdown over 5 mm, stepover over 0.7, wall under 2 mm, cut deeper than the flute length. Each alone may pass; together they are a likely crash.',
    'Address the individual factors, starting with stepdown and stepover, until fewer than three remain.',
  ],
  [
    'F033',
    'RED',
    'Cut deeper than the flute length',
    'The target depth exceeds the flute length of the tool, so the shank rubs the wall, overheats and can pull the tool from the collet.',
    'Use a tool with longer flutes than the cut depth, or reduce the depth (see constraint).',
  ],
  [
    'F041',
    'RED',
    'Combined edge pressure',
    'Three or more borderline conditions at once: hard material (hard, very-hard, extreme), depth at least 3 × tool diameter, stepover at least 0.6, stepdown at least 3 mm, wall at most 3 mm, complex geometry. Together they exceed safe limits.',
    'Relax the borderline parameters (smaller stepover and stepdown, a larger tool, thicker walls) until fewer than three apply.',
  ],
  [
    'F010',
    'YELLOW',
    'Tool larger than the smallest feature',
    'The tool diameter exceeds the smallest feature in the design; fine details such as inlay points or tight rosette corners will not be cut.',
    'Use a smaller tool for the detail pass (see constraint), or accept that the detail is finished by hand.',
  ],
  [
    'F011',
    'YELLOW',
    'Plunge feed faster than lateral feed',
    'feed_z exceeds feed_xy; end mills cut poorly straight down, so a fast plunge burns wood and stresses the tool.',
    'Set feed_z to at most feed_xy, typically a third to a half of it, or ramp in.',
  ],
  [
    'F012',
    'YELLOW',
    'Large stepdown',
    'stepdown above 3.0 mm loads the tool and machine heavily, which is risky on hobby routers.',
    'Reduce stepdown to 3.0 mm or less and take more passes.',
  ],
  [
    'F013',
    'YELLOW',
    'High loop count',
    'More than 1000 closed loops (typical of traced or dense mosaic rosettes) means long machining time and heavy G-code.',
    'Simplify or merge the geometry, or accept a long runtime and check machine memory.',
  ],
  [
    'F030',
    'YELLOW',
    'Deep cut relative to tool diameter',
    'A target depth above 2 × tool diameter increases deflection and makes chip evacuation hard.',
    'Use a larger tool, reduce the depth (see constraint), or cut in stages with chip clearing.',
  ],
  [
    'F031',
    'YELLOW',
    'Depth of cut aggressive for hard material',
    'In hard, very-hard or extreme material a stepdown between 0.5 × and 1.5 × tool diameter works but risks burning and tool wear.',
    'Reduce stepdown to 0.5 × tool diameter (see constraint) in dense tonewoods.',
  ],
  [
    'F032',
    'YELLOW',
    'Small tool',
    'Tools under 2.0 mm are fragile and break easily on a wrong feed or a chip jam.',
    'Use reduced feeds and shallow passes with small tools, or use a tool of 2.0 mm or more where the design allows.',
  ],
  [
    'F034',
    'YELLOW',
    'Deep narrow slot',
    'In the "slot" strategy, a depth more than 2 × the slot width packs chips and overheats the cutter (e.g. deep fret or truss-rod slots).',
    'Cut the slot in several shallow passes with chip clearing, or widen the slot relative to its depth.',
  ],
  [
    'F035',
    'YELLOW',
    'High stepover',
    'A stepover above 0.7 of the tool diameter (other than slotting) leaves scallops and puts a high load on the cutter.',
    'Reduce stepover to 0.7 or less (see constraint); 0.4 is a good default.',
  ],
  [
    'F036',
    'YELLOW',
    'Thin wall',
    'A wall between 1.0 mm and 2.0 mm can be machined but vibrates and may break out.',
    'Thicken the wall to 2.0 mm where possible, support it, and use light finishing passes.',
  ],
  [
    'F037',
    'YELLOW',
    'Several borderline parameters',
    'Two or more of: hard or very-hard material (extreme is not counted here), depth above 2 × tool diameter, stepover above 0.5, stepdown above 2 mm, wall under 3 mm.',
    'Review the combination; easing any one factor (usually stepdown or stepover) clears the warning.',
  ],
  [
    'F038',
    'YELLOW',
    'Thin floor',
    'A floor thinner than 2.0 mm (e.g. under a pickup or control cavity) may flex, vibrate or break through.',
    'Leave at least 2.0 mm of floor (see constraint), or support the part from below.',
  ],
  [
    'F039',
    'YELLOW',
    'Complex geometry',
    'The geometry is flagged as complex (tight curves, many small features); toolpaths need a visual check.',
    'Simulate the toolpath and air-cut or test on scrap before cutting the real part.',
  ],
  [
    'F040',
    'YELLOW',
    'Unusual feed override',
    'A feed override above 120 % overloads the tool; below 80 % the cutter rubs instead of cutting and burns the wood.',
    'Keep the feed override between 80 % and 120 %, and adjust the programmed feeds instead.',
  ],
];

/** Every rule of `feasibility_engine_v1`, in evaluation order (33 ids, F001–F041). */
export const FEASIBILITY_RULES: readonly FeasibilityRuleInfo[] = Object.freeze(
  ENTRIES.map(([id, level, summary, explanation, fix_hint]) =>
    Object.freeze({ id, level, summary, explanation, fix_hint }),
  ),
);

const BY_ID: ReadonlyMap<string, FeasibilityRuleInfo> = new Map(
  FEASIBILITY_RULES.map((rule) => [rule.id, rule]),
);

/** The registry entry of `id`, or undefined for an id the engine does not have. */
export function feasibilityRule(id: string): FeasibilityRuleInfo | undefined {
  return BY_ID.get(id);
}
