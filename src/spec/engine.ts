/**
 * What a spec engine is: something that takes a converted spec script and decides the
 * outcome of each command. Engines that run code keep state across commands (module
 * instances, registrations), so an engine receives the whole script at once.
 */
import type { SpecCommand, SpecCommandType, SpecScript } from './script.js';

export type CommandStatus = 'passed' | 'failed' | 'skipped' | 'not-applicable';

export interface CommandOutcome {
  line: number;
  type: SpecCommandType;
  status: CommandStatus;
  /** Why it failed, or the skip reason. */
  detail?: string;
  /** For rejections: whether kiln's message matched the spec's expected text (informational). */
  messageMatched?: boolean;
}

export interface ScriptContext {
  script: SpecScript;
  /** Directory holding the script's module files. */
  dir: string;
  wastPath: string;
  /** The skip list's reason for a command on this engine, if any. */
  skipReason(cmd: SpecCommand): string | undefined;
}

export interface SpecEngine {
  readonly name: string;
  readonly description: string;
  run(ctx: ScriptContext): Promise<CommandOutcome[]>;
}

/** True when kiln's message says what the spec's expected text says (the reference interpreter's messages are prefixes). */
export function messageMatches(actual: string, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  return actual === expected || actual.startsWith(expected) || expected.startsWith(actual);
}
