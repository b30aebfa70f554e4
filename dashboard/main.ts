/**
 * The dashboard's shell: header, language, session and hash routes (`#/`, `#/sign-in`,
 * `#/migrations/{id}`, `#/drafts`, `#/drafts/{id}`, `#/batches`, `#/batches/{id}`). It talks to the v1 API only, with the signed-in user's token.
 */
import { ApiError, ApiUnreachableError, createPasserelleClient } from '../client/api-client';
import type { AppContext, Cleanup } from './app-context';
import { h } from './dom';
import { initialLanguage, language, setLanguage, t } from './i18n';
import { clearSession, loadSession, mayDo, saveSession, type Session } from './session';
import { renderBatch, renderBatches } from './views/batches';
import { renderDraft } from './views/draft';
import { renderDrafts } from './views/drafts';
import { renderList } from './views/list';
import { renderMigration } from './views/migration';
import { renderSignIn } from './views/sign-in';

type Route =
  | { name: 'list'; query: URLSearchParams }
  | { name: 'migration'; id: string }
  | { name: 'drafts' }
  | { name: 'draft'; id: string }
  | { name: 'batches' }
  | { name: 'batch'; id: string }
  | { name: 'sign-in' };

function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/sign-in') return { name: 'sign-in' };
  const migration = /^\/migrations\/([^/?]+)$/.exec(path);
  if (migration?.[1]) return { name: 'migration', id: decodeURIComponent(migration[1]) };
  if (path === '/drafts') return { name: 'drafts' };
  const draft = /^\/drafts\/([^/?]+)$/.exec(path);
  if (draft?.[1]) return { name: 'draft', id: decodeURIComponent(draft[1]) };
  if (path === '/batches') return { name: 'batches' };
  const batch = /^\/batches\/([^/?]+)$/.exec(path);
  if (batch?.[1]) return { name: 'batch', id: decodeURIComponent(batch[1]) };
  const queryStart = path.indexOf('?');
  return { name: 'list', query: new URLSearchParams(queryStart === -1 ? '' : path.slice(queryStart + 1)) };
}

const header = document.getElementById('app-header')!;
const main = document.getElementById('main')!;
const announcer = document.getElementById('announcer')!;
let cleanup: Cleanup | undefined;
let notice: string | undefined;

function announce(text: string): void {
  // Emptied first so that the same words said twice are still read out.
  announcer.textContent = '';
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 50);
}

function navigate(hash: string): void {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

function signOut(message?: string): void {
  clearSession();
  notice = message;
  navigate('#/sign-in');
}

function fail(error: unknown, where?: HTMLElement): void {
  if (error instanceof ApiError && error.status === 401) {
    signOut(t().sessionEnded);
    return;
  }
  const detail = error instanceof ApiError ? t().apiProblem(error) : error instanceof ApiUnreachableError ? t().apiUnreachable : String(error);
  const target = where ?? main;
  const message = h('p', { class: 'message message--error', role: 'alert' }, t().errorGeneric(detail));
  if (where) {
    target.hidden = false;
    if (target.getAttribute('role') === 'alert') target.textContent = t().errorGeneric(detail);
    else target.replaceChildren(message);
  } else target.prepend(message);
}

function renderHeader(session: Session | undefined): void {
  const messages = t();
  const who = session ? `${session.claims.sub} (${session.claims.roles.map((role) => messages.roles[role] ?? role).join(', ')})` : undefined;
  header.replaceChildren(
    h(
      'div',
      { class: 'app-header__inner' },
      h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand__name' }, messages.appName), h('span', { class: 'brand__tagline' }, messages.tagline)),
      session && (mayDo(session, 'draft.read') || mayDo(session, 'batch.read'))
        ? h(
            'nav',
            { class: 'app-nav', 'aria-label': messages.appName },
            h('a', { href: '#/', id: 'nav-migrations' }, messages.navMigrations),
            mayDo(session, 'draft.read') ? h('a', { href: '#/drafts', id: 'nav-drafts' }, messages.navDrafts) : null,
            mayDo(session, 'batch.read') ? h('a', { href: '#/batches', id: 'nav-batches' }, messages.navBatches) : null,
          )
        : null,
      h(
        'div',
        { class: 'app-header__tools' },
        who ? h('span', { class: 'who' }, messages.signedInAs(who)) : null,
        h(
          'button',
          {
            type: 'button',
            class: 'button button--quiet',
            id: 'language',
            lang: language() === 'fr' ? 'en' : 'fr',
            'aria-label': messages.switchLanguageLabel,
            on: {
              click: () => {
                setLanguage(language() === 'fr' ? 'en' : 'fr', window.localStorage);
                render();
                document.getElementById('language')?.focus();
              },
            },
          },
          messages.switchLanguage,
        ),
        session ? h('button', { type: 'button', class: 'button button--quiet', id: 'sign-out', on: { click: () => signOut() } }, messages.signOut) : null,
      ),
    ),
  );
  const skip = document.getElementById('skip-link');
  if (skip) skip.textContent = messages.skipToContent;
}

function render(): void {
  cleanup?.();
  cleanup = undefined;
  document.documentElement.lang = language();
  const session = loadSession();
  const route = parseRoute(window.location.hash);
  renderHeader(session);
  if (!session || route.name === 'sign-in') {
    document.title = `${t().signInTitle} — ${t().appName}`;
    const shown = notice;
    notice = undefined;
    cleanup = renderSignIn(main, {
      notice: shown,
      onSignedIn: (token) => {
        saveSession(token);
        navigate('#/');
      },
    });
    return;
  }
  const context: AppContext = {
    session,
    client: createPasserelleClient({ baseUrl: '', token: session.token }),
    announce,
    fail,
    navigate,
  };
  if (route.name === 'migration') {
    cleanup = renderMigration(main, context, route.id);
  } else if (route.name === 'draft') {
    cleanup = renderDraft(main, context, route.id);
  } else if (route.name === 'batch') {
    cleanup = renderBatch(main, context, route.id);
  } else if (route.name === 'batches') {
    document.title = `${t().batchesTitle} — ${t().appName}`;
    cleanup = renderBatches(main, context);
    document.getElementById('page-title')?.focus();
  } else if (route.name === 'drafts') {
    document.title = `${t().draftsTitle} — ${t().appName}`;
    cleanup = renderDrafts(main, context);
    document.getElementById('page-title')?.focus();
  } else {
    document.title = `${t().migrationsTitle} — ${t().appName}`;
    cleanup = renderList(main, context, route.query);
    document.getElementById('page-title')?.focus();
  }
}

document.getElementById('skip-link')?.addEventListener('click', (event) => {
  // The route lives in the hash, so the skip link moves focus instead of following "#main".
  event.preventDefault();
  main.focus();
});
setLanguage(initialLanguage(window.localStorage));
window.addEventListener('hashchange', render);
render();
