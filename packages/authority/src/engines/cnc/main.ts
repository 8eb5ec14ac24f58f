/**
 * Process entry of the bundled cnc engine (`node cnc.mjs --mode <mode>`): read EngineInput
 * from stdin, run, write the receipt line to stdout and logs to stderr, set the exit code. Nothing
 * else may reach stdout (ENG-11). Not imported by anything; tests use engine.ts.
 */
import { runEngineProcess } from '../kit/process.js';
import { runEngine } from './engine.js';

/** EngineInput can carry a 16 MiB DXF, JSON-escaped; anything far beyond is refused unread. */
const MAX_STDIN_BYTES = 128 * 1024 * 1024;

process.exitCode = await runEngineProcess(runEngine, MAX_STDIN_BYTES);
