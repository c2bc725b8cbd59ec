/**
 * The live connection's status.
 * @module
 */
import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../transport/transport.js';
import { useTransport } from './useTransport.js';

/** `live` or `connecting`, following the transport. */
export function useConnection(): ConnectionStatus {
  const transport = useTransport();
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  useEffect(() => transport.watchStatus(setStatus), [transport]);
  return status;
}
