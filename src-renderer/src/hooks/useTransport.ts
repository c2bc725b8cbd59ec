/**
 * The transport, provided once at the top of the tree.
 * @module
 */
import { createContext, useContext } from 'react';
import type { Transport } from '../transport/transport.js';

/** Holds the transport chosen at start-up. */
export const TransportContext = createContext<Transport | null>(null);

/** The transport; throws when used outside {@link TransportContext}. */
export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useTransport() needs a <TransportContext.Provider> above it.');
  return transport;
}
