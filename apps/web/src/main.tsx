import './app/zod-jitless.ts';
import './app/mantine-styles.ts';
import './app/global.css';
import { loadAllTranslations, startLanguage } from './i18n.ts';
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { Providers } from './app/Providers.tsx';
import { JoinPage } from './join/JoinPage.tsx';
import { preloadDeviceCheck } from './join/DeviceCheckLazy.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

/** Runs `then` once the first render is on screen. */
function AfterFirstRender({ children, then }: { children: ReactNode; then: () => void }) {
  useEffect(then, [then]);
  return children;
}

const render = (page: ReactNode, then: () => void = () => undefined) =>
  createRoot(root).render(
    <StrictMode>
      <Providers>
        <AfterFirstRender then={then}>{page}</AfterFirstRender>
      </Providers>
    </StrictMode>,
  );

// The link page (/join/<token>) is what a family opens, often on a slow mobile line: this
// entry holds it and nothing else — no router, no staff or dashboard code, only the
// translations it shows (i18n.ts). While the person reads it, the rest loads: the device
// check, the room's code (mediasoup-client, socket.io) and every translation.
const join = /^\/join\/([^/?#]+)\/?$/.exec(location.pathname);
const afterJoinPaint = () => {
  preloadDeviceCheck();
  void import('./room/room-entry.ts').catch(() => undefined); // JoinRoom reports a failed load itself
  void loadAllTranslations().catch(() => undefined);
};

function tokenOf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a valid escape: the server answers «invalid link» for it
  }
}

// The feedback form (/join/<token>/feedback, from the e-mail or the end screen): as light,
// its page a chunk of its own.
const feedback = /^\/join\/([^/?#]+)\/feedback\/?$/.exec(location.pathname);

if (feedback) {
  const token = tokenOf(feedback[1]!);
  void Promise.all([import('./join/FeedbackPage.tsx'), startLanguage === 'ru' ? null : loadAllTranslations()]).then(
    ([{ FeedbackPage }]) => render(<FeedbackPage token={token} />, () => void loadAllTranslations().catch(() => undefined)),
    () => {
      root.textContent = 'Не удалось загрузить страницу. Обновите её. / The page could not load: please reload it.';
    },
  );
} else if (join) {
  const page = <JoinPage token={tokenOf(join[1]!)} forceTcp={new URLSearchParams(location.search).get('tcp') === '1'} />;
  // English is not in the entry: its translations come first (one small request).
  if (startLanguage === 'ru') render(page, afterJoinPaint);
  else void loadAllTranslations().finally(() => render(page, afterJoinPaint));
} else {
  // Every other page (home, sign-in, staff, admin): the router and all translations first.
  void Promise.all([import('./app/App.tsx'), loadAllTranslations().catch(() => undefined)]).then(
    ([{ App }]) => render(<App />),
    (e: unknown) => {
      console.error('[app] could not load the page', e);
      root.textContent = 'Не удалось загрузить страницу. Обновите её. / The page could not load: please reload it.';
    },
  );
}
