/**
 * Endpoints: how lafs names places on the network (connection hints, listen descriptors, location lists) and
 * how it dials them (connectors behind one connection manager).
 *
 * @module
 */
export * from './errors.js';
export { isLoopback } from './host.js';
export { type ExpandLocationOptions, expandLocation, formatLocation, parseLocation } from './location.js';
export { checkI2pName, checkOnionName, type NameProblem } from './overlay-address.js';
export { builtinCodecs, createDefaultRegistry, DescriptorRegistry, type ParseOptions } from './registry.js';
export { type DescriptorToken, escapeValue, MAX_DESCRIPTOR_LENGTH, splitList, tokenize } from './tokenize.js';
export type * from './types.js';
