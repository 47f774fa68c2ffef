/**
 * Onion services as the node uses them: {@link addOnionService} (ADD_ONION with a NEW or stored ED25519-V3 key,
 * control-spec 3.27) returns at once, without waiting for the descriptor to be published; {@link waitForPublished}
 * waits for Tor's HS_DESC UPLOADED events (control-spec 4.1.25) when a caller needs the service to be reachable.
 *
 * HS_DESC events are watched (one SETEVENTS per control connection) from before the first ADD_ONION, so no upload
 * is missed however late `waitForPublished` is called.
 *
 * @module
 */
import { type AbortOptions, combineSignals, raceAbort, throwIfAborted } from '../util/abort.js';
import type { TorControlClient, TorEventSubscription } from './control-client.js';
import { TorProtocolError } from './errors.js';
import { parseHsDescEvent } from './events.js';
import {
  type OnionPrivateKey,
  parseOnionAddress,
  parseOnionPrivateKey,
  serviceIdFromPrivateKey,
} from './onion-address.js';
import { addOnion, type OnionTarget } from './onion-commands.js';

/** How many services' upload counts one connection remembers. */
const MAX_TRACKED_SERVICES = 4096;

/** Counts HS_DESC UPLOADED events per service id on one control connection. */
class PublicationTracker {
  private readonly uploads = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private subscription: Promise<TorEventSubscription> | undefined;

  constructor(private readonly control: TorControlClient) {}

  /** Subscribes to HS_DESC once; a failed subscription is retried by the next caller. */
  async ensure(options: AbortOptions): Promise<void> {
    if (!this.subscription) {
      this.subscription = this.control.subscribe(
        'HS_DESC',
        (event) => {
          const parsed = parseHsDescEvent(event);
          if (parsed?.action !== 'UPLOADED') return;
          const count = (this.uploads.get(parsed.address) ?? 0) + 1;
          this.uploads.delete(parsed.address); // re-insert: the map's order is least recently uploaded first
          this.uploads.set(parsed.address, count);
          if (this.uploads.size > MAX_TRACKED_SERVICES)
            this.uploads.delete(this.uploads.keys().next().value!);
          for (const wake of [...this.waiters]) wake();
        },
        options,
      );
      this.subscription.catch(() => {
        this.subscription = undefined;
      });
    }
    await raceAbort(this.subscription, combineSignals(options), 'subscribing to HS_DESC events');
  }

  uploadsOf(serviceId: string): number {
    return this.uploads.get(serviceId) ?? 0;
  }

  /** Resolves when `condition` holds after an upload event (or at once), rejects on abort or a closed connection. */
  async until(condition: () => boolean, signal: AbortSignal | undefined, what: string): Promise<void> {
    if (condition()) return;
    let wake!: () => void;
    const reached = new Promise<void>((resolve) => {
      wake = () => {
        if (condition()) resolve();
      };
    });
    this.waiters.add(wake);
    try {
      const closed = this.control.closed.then((error) => Promise.reject(error));
      await raceAbort(Promise.race([reached, closed]), signal, what);
    } finally {
      this.waiters.delete(wake);
    }
  }
}

const trackers = new WeakMap<TorControlClient, PublicationTracker>();

function trackerFor(control: TorControlClient): PublicationTracker {
  let tracker = trackers.get(control);
  if (!tracker) {
    tracker = new PublicationTracker(control);
    trackers.set(control, tracker);
  }
  return tracker;
}

/** Options of {@link addOnionService}. */
export interface AddOnionServiceOptions extends AbortOptions {
  /** The port clients connect to on the .onion address. */
  readonly virtualPort: number;
  /** Where Tor forwards connections: a loopback TCP port or a unix socket. */
  readonly target: OnionTarget;
  /** A stored `ED25519-V3:<base64>` key (see `readOnionKeyFile`), or `'NEW'` (the default) to mint one. */
  readonly key?: 'NEW' | string | OnionPrivateKey;
  /** Authorised clients' x25519 public keys (base32); only they can reach the service. */
  readonly clientAuthPublicKeys?: readonly string[];
  /** Maximum streams per rendezvous circuit (0 = unlimited). */
  readonly maxStreams?: number;
  /** Keep the service after this control connection closes (Flags=Detach). */
  readonly detach?: boolean;
}

/** A running onion service. */
export interface OnionService {
  /** The 56-character service id. */
  readonly serviceId: string;
  /** `<serviceId>.onion`. */
  readonly onionAddress: string;
  /** The minted key (`ED25519-V3:<base64>`) when `key` was NEW: store it (see `writeOnionKeyFile`). */
  readonly privateKey?: string;
}

/**
 * Starts an onion service on `control`. Minting a NEW key takes one round trip; it does not wait for the
 * descriptor to be published (use {@link waitForPublished}). With a stored key, the service id Tor reports is
 * checked against the one derived from the key.
 */
export async function addOnionService(
  control: TorControlClient,
  options: AddOnionServiceOptions,
): Promise<OnionService> {
  const signal = combineSignals(options, 'adding an onion service');
  throwIfAborted(signal, 'adding an onion service');
  const key =
    options.key === undefined || options.key === 'NEW'
      ? 'NEW'
      : typeof options.key === 'string'
        ? parseOnionPrivateKey(options.key)
        : options.key;
  await trackerFor(control).ensure({ signal });
  const result = await addOnion(
    control,
    {
      key,
      ports: [{ virtualPort: options.virtualPort, target: options.target }],
      ...(options.detach ? { flags: ['Detach'] as const } : {}),
      ...(options.maxStreams !== undefined ? { maxStreams: options.maxStreams } : {}),
      ...(options.clientAuthPublicKeys ? { clientAuthV3: options.clientAuthPublicKeys } : {}),
    },
    { signal },
  );
  if (key !== 'NEW' && serviceIdFromPrivateKey(key) !== result.serviceId) {
    throw new TorProtocolError(
      `Tor reports service id ${result.serviceId}, which the given key does not belong to`,
    );
  }
  return {
    serviceId: result.serviceId,
    onionAddress: `${result.serviceId}.onion`,
    ...(result.privateKey !== undefined ? { privateKey: result.privateKey } : {}),
  };
}

/** Options of {@link waitForPublished}. */
export interface WaitForPublishedOptions extends AbortOptions {
  /** How many HSDir uploads to wait for (default 1; Tor makes 2 descriptors x several HSDirs). */
  readonly minUploads?: number;
}

/**
 * Resolves once Tor has reported `minUploads` HS_DESC UPLOADED events for `serviceId` on this control
 * connection (counted since the first {@link addOnionService} or `waitForPublished` on it). Rejects with
 * `AbortError` on timeout/abort and `TorConnectionClosedError` if the connection dies. Tor keeps retrying failed
 * uploads, so failures alone do not reject; bound the wait with `timeoutMs`.
 */
export async function waitForPublished(
  control: TorControlClient,
  serviceId: string,
  options: WaitForPublishedOptions = {},
): Promise<void> {
  const id = parseOnionAddress(serviceId).serviceId;
  const minUploads = options.minUploads ?? 1;
  if (!Number.isInteger(minUploads) || minUploads < 1)
    throw new RangeError(`minUploads must be >= 1, got ${minUploads}`);
  const what = `waiting for the descriptor of ${id.slice(0, 8)}... to be published`;
  const signal = combineSignals(options, what);
  const tracker = trackerFor(control);
  await tracker.ensure({ signal });
  await tracker.until(() => tracker.uploadsOf(id) >= minUploads, signal, what);
}
