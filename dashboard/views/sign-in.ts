import { ApiError, createPasserelleClient } from '../../client/api-client';
import type { DemoIdentity } from '../../config/dev-tokens';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../../domain/token-claims';
import { h } from '../dom';
import { t } from '../i18n';
import { readClaims } from '../session';

/** What the sign-in view reports. */
export interface SignInOptions {
  onSignedIn(token: string): void;
  /** Shown above the form, such as "your session expired". */
  notice?: string;
}

function describeIdentity(identity: DemoIdentity): string {
  const customer = identity.customerName ?? identity.customerId ?? '';
  if (identity.roles.includes('consultant')) return t().demoConsultant;
  if (identity.roles.includes('ops')) return t().demoOps;
  return identity.approverRoles.length > 0 ? t().demoApprover(customer) : t().demoViewer(customer);
}

const SIGN_IN_KEY = 'passerelle.dev-sign-in-key';

/**
 * Development only: the demo sign-in key of the address `npm start` printed. It is kept for the
 * tab and taken out of the address bar, so that it does not linger in the history.
 */
function devSignInKey(): string | undefined {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get(DEV_SIGN_IN_KEY_PARAMETER);
  if (fromUrl) {
    sessionStorage.setItem(SIGN_IN_KEY, fromUrl);
    url.searchParams.delete(DEV_SIGN_IN_KEY_PARAMETER);
    window.history.replaceState(window.history.state, '', url.toString());
  }
  return sessionStorage.getItem(SIGN_IN_KEY) ?? undefined;
}

async function loadDemoIdentities(key: string | undefined): Promise<DemoIdentity[]> {
  if (key === undefined) return [];
  try {
    const response = await fetch('/dev/identities', { headers: { accept: 'application/json', authorization: `Bearer ${key}` } });
    if (!response.ok) return [];
    return ((await response.json()) as { identities: DemoIdentity[] }).identities;
  } catch {
    return [];
  }
}

/** Checks a token against the API before keeping it: a refused token never becomes a session. */
async function checkToken(token: string): Promise<void> {
  await createPasserelleClient({ baseUrl: '', token }).listMigrations({ limit: 1 });
}

/** The sign-in page: demo identities in development, and a field for a pasted token. */
export function renderSignIn(main: HTMLElement, options: SignInOptions): () => void {
  const messages = t();
  const error = h('p', { class: 'message message--error', role: 'alert', id: 'sign-in-error' });
  error.hidden = true;

  const showError = (text: string) => {
    error.textContent = text;
    error.hidden = false;
  };

  const signIn = async (token: string) => {
    const trimmed = token.trim();
    if (!readClaims(trimmed)) {
      showError(messages.tokenRefused('not a JWT'));
      return;
    }
    try {
      await checkToken(trimmed);
      options.onSignedIn(trimmed);
    } catch (failure) {
      showError(messages.tokenRefused(failure instanceof ApiError ? (failure.detail ?? failure.title) : String(failure)));
    }
  };

  const demoSection = h('section', { class: 'card', 'aria-labelledby': 'demo-title', id: 'demo-identities' });
  demoSection.hidden = true;
  const signInKey = devSignInKey();
  void loadDemoIdentities(signInKey).then((identities) => {
    if (identities.length === 0) return;
    demoSection.append(
      h('h2', { id: 'demo-title' }, messages.demoIdentitiesTitle),
      h('p', {}, messages.demoIdentitiesIntro),
      h(
        'ul',
        { class: 'identity-list' },
        identities.map((identity) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'button identity',
                id: `identity-${identity.id}`,
                on: {
                  click: () =>
                    void (async () => {
                      const response = await fetch('/dev/token', {
                        method: 'POST',
                        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${signInKey ?? ''}` },
                        body: JSON.stringify({ identity: identity.id }),
                      });
                      if (!response.ok) {
                        showError(messages.tokenRefused(`HTTP ${response.status}`));
                        return;
                      }
                      await signIn(((await response.json()) as { token: string }).token);
                    })(),
                },
              },
              h('span', { class: 'identity__name' }, describeIdentity(identity)),
              h('span', { class: 'identity__sub' }, identity.sub),
            ),
          ),
        ),
      ),
    );
    demoSection.hidden = false;
  });

  const tokenField = h('textarea', { id: 'token', name: 'token', rows: 4, required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'token-hint' });
  const form = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'token-title',
      on: {
        submit: (event) => {
          event.preventDefault();
          void signIn(tokenField.value);
        },
      },
    },
    h('h2', { id: 'token-title' }, messages.pasteTokenTitle),
    h('label', { for: 'token' }, messages.tokenLabel),
    tokenField,
    h('p', { class: 'hint', id: 'token-hint' }, messages.tokenHint),
    h('button', { type: 'submit', class: 'button button--primary' }, messages.signInAs),
  );

  main.replaceChildren(
    h('h1', { id: 'page-title', tabindex: -1 }, messages.signInTitle),
    ...(options.notice ? [h('p', { class: 'message message--warning', role: 'status' }, options.notice)] : []),
    h('p', {}, messages.signInIntro),
    error,
    h('div', { class: 'sign-in' }, demoSection, form),
  );
  return () => undefined;
}
