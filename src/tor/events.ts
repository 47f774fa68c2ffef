/**
 * Parsers of the asynchronous events lafs uses: STATUS_CLIENT bootstrap progress (control-spec 4.1.10) and
 * HS_DESC (4.1.25). Unknown arguments are tolerated and missing optional ones are left out, as the spec requires.
 *
 * @module
 */
import { parseArguments } from './quoting.js';
import type { ControlReply } from './reply-parser.js';

/** Tor's bootstrap status (STATUS_CLIENT ... BOOTSTRAP, or GETINFO status/bootstrap-phase). */
export interface BootstrapStatus {
  /** 0-100. */
  readonly progress: number;
  /** The phase tag, e.g. `conn`, `handshake_dir`, `done`. */
  readonly tag: string;
  /** Human-readable summary of the next task. */
  readonly summary: string;
  /** `NOTICE` for progress, `WARN`/`ERR` for a bootstrap problem. */
  readonly severity: string;
  /** For problems: the warning text. */
  readonly warning?: string;
  /** For problems: the reason keyword (as in ORCONN events). */
  readonly reason?: string;
}

/**
 * Parses `[STATUS_CLIENT] SEVERITY BOOTSTRAP PROGRESS=n TAG=t SUMMARY="..." ...`; returns `undefined` for any
 * other status action or a line without a numeric PROGRESS.
 */
export function parseBootstrapStatus(text: string): BootstrapStatus | undefined {
  const args = parseArguments(text);
  const words = args.positional[0] === 'STATUS_CLIENT' ? args.positional.slice(1) : args.positional;
  if (words[1] !== 'BOOTSTRAP') return undefined;
  const progress = Number(args.keyed.get('PROGRESS'));
  if (!Number.isInteger(progress) || progress < 0 || progress > 100) return undefined;
  const warning = args.keyed.get('WARNING');
  const reason = args.keyed.get('REASON');
  return {
    progress,
    tag: args.keyed.get('TAG') ?? '',
    summary: args.keyed.get('SUMMARY') ?? '',
    severity: words[0] ?? 'NOTICE',
    ...(warning !== undefined ? { warning } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

/** Bootstrap status from a STATUS_CLIENT event, or `undefined` if it is another event. */
export function bootstrapFromEvent(event: ControlReply): BootstrapStatus | undefined {
  const text = event.lines[0]?.text ?? '';
  return text.startsWith('STATUS_CLIENT ') ? parseBootstrapStatus(text) : undefined;
}

/** The actions of an HS_DESC event. */
export type HsDescAction = 'REQUESTED' | 'UPLOAD' | 'RECEIVED' | 'UPLOADED' | 'IGNORE' | 'FAILED' | 'CREATED';

/** A parsed HS_DESC event (control-spec 4.1.25). */
export interface HsDescEvent {
  /** What happened. Unknown actions are passed through as given. */
  readonly action: HsDescAction | string;
  /** The service id (no `.onion`), or `UNKNOWN`. */
  readonly address: string;
  /** `NO_AUTH`, `BASIC_AUTH`, `STEALTH_AUTH` or `UNKNOWN`. */
  readonly authType: string;
  /** The HSDir (`$FINGERPRINT~nick`, fingerprint, or `UNKNOWN`). */
  readonly hsDir: string;
  /** For v3: the blinded key the descriptor is indexed by. */
  readonly descriptorId?: string;
  /** For FAILED: why (`NOT_FOUND`, `UPLOAD_REJECTED`, ...). */
  readonly reason?: string;
  /** For v3: the HSDir index (hex). */
  readonly hsDirIndex?: string;
}

/** Parses an HS_DESC event; `undefined` if it is another event or lacks the fixed fields. */
export function parseHsDescEvent(event: ControlReply): HsDescEvent | undefined {
  const args = parseArguments(event.lines[0]?.text ?? '');
  const [name, action, address, authType, hsDir, descriptorId] = args.positional;
  if (name !== 'HS_DESC' || !action || !address || !authType || !hsDir) return undefined;
  const reason = args.keyed.get('REASON');
  const hsDirIndex = args.keyed.get('HSDIR_INDEX');
  return {
    action,
    address,
    authType,
    hsDir,
    ...(descriptorId !== undefined ? { descriptorId } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(hsDirIndex !== undefined ? { hsDirIndex } : {}),
  };
}
