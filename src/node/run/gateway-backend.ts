/**
 * The web gateway's view of a running client node: the connected storage servers from the broker, the
 * encoding parameters and secrets of `tahoe.cfg` and `private/`, and the welcome page's facts.
 *
 * @module
 */
import type { ClientSection } from '../../config/types.js';
import type { LeaseSecrets } from '../../storage/client/lease-secrets.js';
import type { GatewayBackend, WelcomeInfo, WelcomeIntroducer } from '../gateway/backend.js';
import type { StorageBroker } from './storage-broker.js';

/** What {@link createGatewayBackend} is built from. */
export interface NodeGatewayParts {
  client: ClientSection;
  broker: StorageBroker;
  convergenceSecret: Uint8Array;
  leaseSecrets: LeaseSecrets;
  tmpDir: string;
  nickname: string;
  nodeId: string;
  version: string;
  introducers(): WelcomeIntroducer[];
}

/** A {@link GatewayBackend} over the node's parts. */
export function createGatewayBackend(parts: NodeGatewayParts): GatewayBackend {
  return {
    servers: () => parts.broker.servers(),
    encoding: {
      needed: parts.client.sharesNeeded,
      happy: parts.client.sharesHappy,
      total: parts.client.sharesTotal,
      maxSegmentSize: parts.client.maxSegmentSize,
    },
    convergenceSecret: parts.convergenceSecret,
    leaseSecrets: parts.leaseSecrets,
    tmpDir: parts.tmpDir,
    welcome: (): WelcomeInfo => ({
      nickname: parts.nickname,
      nodeId: parts.nodeId,
      version: parts.version,
      introducers: parts.introducers(),
      servers: parts.broker.describe(),
    }),
  };
}
