/**
 * The current time, re-read every minute, so "today" and "overdue" move on while the page stays open.
 * @module
 */
import { useEffect, useState } from 'react';

/** Now, updated every `everyMs` (default one minute). */
export function useNow(everyMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
