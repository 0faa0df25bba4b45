/**
 * The `validate` spec engine: decides every command that needs no execution —
 * `module` (must decode and validate), binary `assert_malformed` (must be rejected by
 * the decoder), `assert_invalid` (must be rejected by the validator), and the modules
 * of `assert_unlinkable`/`assert_uninstantiable` (must be valid: they fail only when
 * linked or run). Execution commands are reported as not applicable to this engine.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModule } from '../frontend/validate.js';
import type { CommandOutcome, ScriptContext, SpecEngine } from './engine.js';
import { messageMatches } from './engine.js';

export const validateEngine: SpecEngine = {
  name: 'validate',
  description: 'decode and validate modules; no execution',
  async run(ctx: ScriptContext): Promise<CommandOutcome[]> {
    const out: CommandOutcome[] = [];
    for (const cmd of ctx.script.commands) {
      const base = { line: cmd.line, type: cmd.type };
      const reason = ctx.skipReason(cmd);
      if (reason !== undefined) {
        out.push({ ...base, status: 'skipped', detail: reason });
        continue;
      }
      switch (cmd.type) {
        case 'module':
        case 'assert_unlinkable':
        case 'assert_uninstantiable': {
          const r = loadModule(readFileSync(join(ctx.dir, cmd.filename!)));
          out.push(
            r.ok
              ? { ...base, status: 'passed' }
              : { ...base, status: 'failed', detail: `expected a valid module, got ${r.error.kind} at 0x${r.error.offset.toString(16)}: ${r.error.message}` },
          );
          break;
        }
        case 'assert_malformed':
        case 'assert_invalid': {
          const r = loadModule(readFileSync(join(ctx.dir, cmd.filename!)));
          const want = cmd.type === 'assert_malformed' ? 'malformed' : 'invalid';
          if (r.ok) {
            out.push({ ...base, status: 'failed', detail: `expected ${want} module ("${cmd.text}"), but it was accepted` });
          } else {
            out.push({ ...base, status: 'passed', messageMatched: messageMatches(r.error.message, cmd.text) });
          }
          break;
        }
        default:
          out.push({ ...base, status: 'not-applicable' });
      }
    }
    return out;
  },
};
