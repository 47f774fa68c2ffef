/**
 * `[node]` (Tahoe-LAFS `docs/configuration.rst`, "Overall Node Configuration"): identity, listeners, published
 * location, timeouts and the `reveal-IP-address` safety flag.
 *
 * @module
 */
import { join } from 'node:path';
import type { DescriptorParsers } from '../descriptors.js';
import { ConflictingConfigError } from '../errors.js';
import type { ConfigReader } from '../reader.js';
import type { ListenSetting, NodeSection, NodeType, TubLocationSetting, TubPortSetting } from '../types.js';
import { parseBoolean } from '../values.js';

/** Port 0 asks the kernel for a port each start; Tahoe refuses it (`PortAssignmentRequired`). */
const PORT_ZERO = /^(0|tcp:0|tcp:port=0|tcp:0:interface=127\.0\.0\.1)$/;

/**
 * Parses a listen setting: a comma-separated list (`tub.port`) when `allowList`, else one descriptor. A bare
 * number is Tahoe's legacy `tcp:NUMBER`. Problems are recorded; the result is then `undefined`.
 */
export function readListenList(
  reader: ConfigReader,
  parsers: DescriptorParsers,
  section: string,
  key: string,
  raw: string,
  allowList: boolean,
): ListenSetting | undefined {
  // Only tub.port must be fixed (its port is published in tub.location); a web.port of 0 is fine: node.url
  // records the port actually chosen.
  if (allowList && raw.split(',').some((item) => PORT_ZERO.test(item.trim()))) {
    reader.invalid(
      section,
      key,
      `"${raw}" asks for a random port on every start; choose a fixed port number`,
    );
    return undefined;
  }
  try {
    const descriptors = allowList ? parsers.parseListenList(raw) : [parsers.parseListen(raw)];
    return { raw, descriptors };
  } catch (error) {
    reader.invalid(section, key, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** The effective `reveal-IP-address`, reconciling the older `anonymize` spelling; conflicts are reported. */
function readRevealIp(reader: ConfigReader): boolean {
  const reveal = reader.boolean('node', 'reveal-IP-address', true);
  const anonymizeEntry = reader.entry('node', 'anonymize');
  if (anonymizeEntry === undefined) return reveal;
  const anonymize = reader.boolean('node', 'anonymize', false);
  const revealEntry = reader.entry('node', 'reveal-IP-address');
  if (revealEntry !== undefined && anonymize === reveal) {
    // Only meaningful when both parsed: a parse failure was reported already.
    if (isBoolean(reader, 'reveal-IP-address') && isBoolean(reader, 'anonymize')) {
      reader.report(
        new ConflictingConfigError(
          reader.where('node', 'anonymize'),
          `"${anonymizeEntry.key} = ${anonymizeEntry.raw}" contradicts "${revealEntry.key} = ${revealEntry.raw}" ` +
            `(line ${revealEntry.line}); they are two spellings of one setting: keep only ` +
            '"reveal-IP-address = false" for an anonymous node, or remove both',
        ),
      );
    }
    return false; // when in doubt, the safe interpretation
  }
  return !anonymize && reveal;
}

function isBoolean(reader: ConfigReader, key: string): boolean {
  try {
    parseBoolean(reader.entry('node', key)?.raw ?? '');
    return true;
  } catch {
    return false;
  }
}

function readTubPort(
  reader: ConfigReader,
  parsers: DescriptorParsers,
  portFile: string,
): TubPortSetting | undefined {
  const raw = reader.string('node', 'tub.port');
  if (raw === undefined) return reader.entry('node', 'tub.port') ? undefined : { kind: 'unset', portFile };
  const trimmed = raw.trim();
  if (trimmed === '') {
    reader.invalid(
      'node',
      'tub.port',
      'must not be empty: give a listen descriptor, or "disabled" to not listen',
    );
    return undefined;
  }
  if (trimmed === 'disabled') return { kind: 'disabled' };
  const setting = readListenList(reader, parsers, 'node', 'tub.port', trimmed, true);
  return setting === undefined ? undefined : { kind: 'listen', ...setting };
}

function readTubLocation(reader: ConfigReader, parsers: DescriptorParsers): TubLocationSetting | undefined {
  const raw = reader.string('node', 'tub.location');
  if (raw === undefined) {
    if (reader.entry('node', 'tub.location')) return undefined;
    return { kind: 'items', raw: 'AUTO', items: [{ type: 'auto' }], fromDefault: true };
  }
  const trimmed = raw.trim();
  if (trimmed === '') {
    reader.invalid('node', 'tub.location', 'must not be empty: list hints to publish, or "disabled"');
    return undefined;
  }
  if (trimmed === 'disabled') return { kind: 'disabled' };
  try {
    return { kind: 'items', raw: trimmed, items: parsers.parseLocation(trimmed), fromDefault: false };
  } catch (error) {
    reader.invalid('node', 'tub.location', error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** Checks that `tub.port` and `tub.location` are disabled together, and that `AUTO` has a TCP port to publish. */
function checkPortLocationPair(
  reader: ConfigReader,
  port: TubPortSetting,
  location: TubLocationSetting,
): void {
  const portDisabled = port.kind === 'disabled';
  const locationDisabled = location.kind === 'disabled';
  if (portDisabled !== locationDisabled) {
    const [off, on] = portDisabled ? ['tub.port', 'tub.location'] : ['tub.location', 'tub.port'];
    reader.report(
      new ConflictingConfigError(
        reader.where('node', on),
        `${off} is "disabled" but ${on} is not; set both to "disabled" (no listener) or neither`,
      ),
    );
  }
  if (location.kind === 'items' && port.kind === 'listen' && location.items.some((i) => i.type === 'auto')) {
    const first = port.descriptors[0];
    if (first?.scheme !== 'tcp') {
      reader.report(
        new ConflictingConfigError(
          reader.where('node', 'tub.location'),
          `AUTO publishes this host's addresses with the TCP port of tub.port, but tub.port ("${port.raw}") does ` +
            'not start with a tcp: listener; list the hints to publish explicitly',
        ),
      );
    }
  }
}

/** Reads `[node]`. Returns `undefined` fields' defaults where a value was bad (the problem is recorded). */
export function readNodeSection(
  reader: ConfigReader,
  parsers: DescriptorParsers,
  nodeType: NodeType,
): NodeSection {
  const portFile = join(reader.baseDir, nodeType === 'introducer' ? 'introducer.port' : 'client.port');
  const tubPort = readTubPort(reader, parsers, portFile);
  const tubLocation = readTubLocation(reader, parsers);
  if (tubPort !== undefined && tubLocation !== undefined) checkPortLocationPair(reader, tubPort, tubLocation);

  const webRaw = reader.string('node', 'web.port')?.trim();
  const webPort =
    webRaw === undefined || webRaw === ''
      ? undefined
      : readListenList(reader, parsers, 'node', 'web.port', webRaw, false);

  for (const key of ['log_gatherer.furl'] as const) {
    const value = reader.string('node', key);
    if (value?.includes('#'))
      reader.invalid('node', key, 'a FURL cannot contain "#" (there are no inline comments)');
  }

  return {
    nickname: reader.string('node', 'nickname') ?? '<unspecified>',
    webPort,
    webStatic: reader.path('node', 'web.static', 'public_html'),
    // Placeholders keep the type total when a value was bad; the recorded problem prevents their use.
    tubPort: tubPort ?? { kind: 'disabled' },
    tubLocation: tubLocation ?? { kind: 'disabled' },
    logGathererFurl: reader.nonEmpty('node', 'log_gatherer.furl'),
    timeoutKeepaliveSeconds: reader.integer('node', 'timeout.keepalive', undefined, 0),
    timeoutDisconnectSeconds: reader.integer('node', 'timeout.disconnect', undefined, 0),
    tempDir: reader.path('node', 'tempdir', 'tmp'),
    revealIpAddress: readRevealIp(reader),
  };
}
