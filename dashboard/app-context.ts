import type { PasserelleClient } from '../client/api-client';
import type { Session } from './session';

/** What every signed-in view gets from the shell. */
export interface AppContext {
  session: Session;
  client: PasserelleClient;
  /** Says `text` to screen readers (aria-live, polite). */
  announce(text: string): void;
  /** Handles an error of any API call: a refused token signs out, the rest is shown. */
  fail(error: unknown, where?: HTMLElement): void;
  navigate(hash: string): void;
}

/** A view draws itself into `main` and returns what stops its timers and streams. */
export type Cleanup = () => void;
