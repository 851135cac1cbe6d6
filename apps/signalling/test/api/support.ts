// The staff API under test: the real router on a real express server (port 0), called with
// real fetch, against a database of its own on the test run's throw-away PostgreSQL
// (DATABASE_URL, exported by the test command). The timetable is a recording stub: it is a
// seam, and the real TimetableService has its own tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { pino } from 'pino';
import { createScratchDatabase, type PrismaClient } from '@dp/db';
import type { ApiErrorResponse } from '@dp/protocol';
import { createApiRouter } from '../../src/api/index.ts';
import { LinkSigner } from '../../src/links/link-token.ts';

export const ADMIN_TOKEN = 'api-test-admin-token-0123456789-abcdef';
export const PUBLIC_URL = 'https://priem.example.org';
export const links = new LinkSigner('api-test-link-secret-0123456789-0123456789');

/** A database of its own on the test run's throw-away server (DATABASE_URL), every migration applied; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    throw new Error(
      'DATABASE_URL is not set. Run through ./pnpm test, or start a throw-away server: ' +
        'DATA_DIR=$(mktemp -d) PGPORT=55432 bash infra/scripts/local-postgres.sh start; DATABASE_URL=$(DATA_DIR=… bash infra/scripts/local-postgres.sh url)',
    );
  }
  return createScratchDatabase(server);
}

/** For tests that must never reach the database (auth, validation, the document). */
export function noDatabase(): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get(_target, property) {
      throw new Error(`this test must not reach the database (prisma.${String(property)})`);
    },
  });
}

export interface Answer<T> {
  status: number;
  body: T;
  /** The error object when the answer is one (else undefined). */
  error: ApiErrorResponse['error'];
  headers: Headers;
}

export interface ApiUnderTest {
  base: string;
  prisma: PrismaClient;
  /** Consultation ids passed to timetable.changed, in order. */
  timetableCalls: string[];
  /** Warnings and errors the API logged, as pino's JSON lines. */
  logs: string[];
  clock: { now: Date };
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; rawBody?: string },
  ): Promise<Answer<T>>;
  get<T = unknown>(path: string): Promise<Answer<T>>;
  post<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  put<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  patch<T = unknown>(path: string, body?: unknown): Promise<Answer<T>>;
  close(): Promise<void>;
}

export async function startApi(options: { prisma: PrismaClient; now: Date }): Promise<ApiUnderTest> {
  const timetableCalls: string[] = [];
  const logs: string[] = [];
  const log = pino(
    { level: process.env.TEST_LOGS ? 'debug' : 'warn' },
    {
      write: (line: string) => {
        logs.push(line);
        if (process.env.TEST_LOGS) process.stderr.write(line);
      },
    },
  );
  const clock = { now: options.now };
  const app = express();
  app.use(
    '/api',
    createApiRouter(
      {
        prisma: options.prisma,
        adminToken: ADMIN_TOKEN,
        publicUrl: PUBLIC_URL,
        signLink: (claims) => links.sign(claims),
        timetable: {
          changed: async (id) => {
            timetableCalls.push(id);
          },
        },
        now: () => clock.now,
        log,
      },
      { checkResponses: true },
    ),
  );
  // What app.ts has after the router: paths the API does not own must reach it untouched.
  app.use('/api', (_req, res) => {
    res.status(404).json({ fellThrough: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    opts: { token?: string | null; rawBody?: string } = {},
  ): Promise<Answer<T>> => {
    const headers: Record<string, string> = {};
    const token = opts.token === undefined ? ADMIN_TOKEN : opts.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const payload = opts.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as T) : (undefined as T);
    return {
      status: res.status,
      body: json,
      error: (json as Partial<ApiErrorResponse> | undefined)?.error as ApiErrorResponse['error'],
      headers: res.headers,
    };
  };
  return {
    base,
    prisma: options.prisma,
    timetableCalls,
    logs,
    clock,
    call,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Sedelnikovo's hours (DOMAIN.md) in Omsk: Mon–Thu 09–16, Fri 09–15, lunch 13–14; 9 March 2026 off. */
export const OMSK_CALENDAR = {
  timeZone: 'Asia/Omsk',
  week: {
    '1': { start: '09:00', end: '16:00' },
    '2': { start: '09:00', end: '16:00' },
    '3': { start: '09:00', end: '16:00' },
    '4': { start: '09:00', end: '16:00' },
    '5': { start: '09:00', end: '15:00' },
    '6': null,
    '7': null,
  },
  lunch: { start: '13:00', end: '14:00' },
  daysOff: ['2026-03-09'],
  extraWorkingDays: [],
};

export const UNKNOWN_ID = '019a0000-0000-7000-8000-000000000000';
