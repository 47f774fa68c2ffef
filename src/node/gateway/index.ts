/**
 * The web gateway (Tahoe-LAFS web-API for immutable files, welcome and status pages).
 *
 * @module
 */
export type {
  GatewayBackend,
  GatewayEncoding,
  WelcomeInfo,
  WelcomeIntroducer,
  WelcomeServer,
} from './backend.js';
export type { GatewayLimits } from './context.js';
export {
  BadRequestError,
  BodyTooLargeError,
  GatewayError,
  MethodNotAllowedError,
  NotFoundError,
  NotSupportedError,
  RangeNotSatisfiableError,
} from './errors.js';
export { startWebGateway, type WebGateway, type WebGatewayOptions } from './start.js';
export type { TransferStatus } from './transfers.js';
