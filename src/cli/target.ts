/** Target names as users write them (`--target aarch64-linux`) and as the toolchain names them. */
import { hostTarget, type KilnTarget } from '../../toolchain/cc.js';
import { EXIT_USAGE, UserError } from './exit.js';

export const TARGET_NAMES: Readonly<Record<string, KilnTarget>> = {
  'x86_64-linux': 'x86_64',
  'aarch64-linux': 'aarch64',
};

export const TARGET_CHOICES = Object.keys(TARGET_NAMES);

export function targetName(t: KilnTarget): string {
  return `${t}-linux`;
}

/** The target for `--target NAME`, or the host's when omitted. */
export function resolveTarget(name: string | undefined): KilnTarget {
  if (name === undefined) {
    const host = hostTarget();
    if (!host) throw new UserError(`this host (${process.arch}) is not a kiln target: pass --target ${TARGET_CHOICES.join(' or ')}`, EXIT_USAGE);
    return host;
  }
  const t = TARGET_NAMES[name];
  if (!t) throw new UserError(`unknown target '${name}' (targets: ${TARGET_CHOICES.join(', ')})`, EXIT_USAGE);
  return t;
}
