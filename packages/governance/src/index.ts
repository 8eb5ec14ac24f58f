/**
 * @clearance/governance — policy sources behind one interface and `most_restrictive` aggregation.
 */
export {};
