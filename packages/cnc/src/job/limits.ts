/**
 * Size limits of a job and the client verdict keys: declared once in the CNC wire contract
 * (`@clearance/protocol`), which this parser is the judge of.
 */
export { CLIENT_VERDICT_KEYS, JOB_LIMITS } from '@clearance/protocol/portable';

/** Millimetres per inch. */
export const MM_PER_INCH = 25.4;
