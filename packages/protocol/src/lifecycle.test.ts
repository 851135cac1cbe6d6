import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  CONSULTATION_STATES,
  FORM_OUTCOME_EVENTS,
  LIFECYCLE,
  LIFECYCLE_EVENTS,
  allows,
  endingEvent,
  mayJoin,
  mayRunNetworkTest,
  nextState,
  type ConsultationState,
} from './lifecycle.ts';

const start = new Date('2026-12-01T05:00:00Z');
const at = (min: number) => new Date(start.getTime() + min * 60_000);

/** Every edge of the table as the diagram writes it: `from --> to: event` (`[*]` for book). */
function tableEdges(): string[] {
  const edges: string[] = [];
  for (const event of LIFECYCLE_EVENTS) {
    const { from, to } = LIFECYCLE[event];
    if (from.length === 0) edges.push(`[*] --> ${to}: ${event}`);
    for (const state of from as readonly ConsultationState[]) edges.push(`${state} --> ${to ?? state}: ${event}`);
  }
  return edges;
}

describe('the lifecycle diagram in docs/architecture.md', () => {
  const doc = readFileSync(new URL('../../../docs/architecture.md', import.meta.url), 'utf8');
  const block = /```mermaid\n(stateDiagram-v2\n[\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const drawn = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('-->'));

  it('draws every (state, event) edge of the table', () => {
    expect(block).not.toBe('');
    const missing = tableEdges().filter((e) => !drawn.includes(e));
    expect(missing).toEqual([]);
  });

  it('draws no edge the table does not have', () => {
    const table = new Set(tableEdges());
    expect(drawn.filter((e) => !table.has(e))).toEqual([]);
  });
});

describe('the table', () => {
  it('names only known states and reaches every state from the booking', () => {
    const reached = new Set<ConsultationState>(['planned']);
    for (let changed = true; changed;) {
      changed = false;
      for (const event of LIFECYCLE_EVENTS) {
        for (const s of [...reached]) {
          const to = nextState(event, s);
          if (to && !reached.has(to)) {
            reached.add(to);
            changed = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...CONSULTATION_STATES].sort());
  });

  it('ends a consultation by whether a client came, and every ending event is allowed where it is chosen', () => {
    expect(endingEvent('live', 'staff')).toBe('ended_by_staff');
    expect(endingEvent('open', 'staff')).toBe('closed_without_client');
    expect(endingEvent('live', 'limit')).toBe('limit_reached');
    expect(endingEvent('precheck', 'limit')).toBe('limit_without_client');
    for (const state of ['planned', 'precheck', 'open', 'live', 'no_show'] as const) {
      expect(allows(endingEvent(state, 'limit'), state)).toBe(true);
    }
  });
});

describe('mayJoin', () => {
  it('lets staff in from the pre-check (T−30) and clients from the start (T)', () => {
    expect(mayJoin({ start, state: 'planned' }, 'staff', at(-31))).toEqual({ ok: false, code: 'not_open_yet', opensAt: at(-30) });
    expect(mayJoin({ start, state: 'precheck' }, 'staff', at(-30))).toEqual({ ok: true, endsAt: at(60) });
    expect(mayJoin({ start, state: 'precheck' }, 'client', at(-1))).toEqual({ ok: false, code: 'not_open_yet', opensAt: start });
    expect(mayJoin({ start, state: 'open' }, 'client', at(0))).toEqual({ ok: true, endsAt: at(60) });
  });

  it('lets nobody in at or after the 60-minute limit, once ended, or once a member of staff closed the room', () => {
    expect(mayJoin({ start, state: 'live' }, 'client', at(59.99))).toMatchObject({ ok: true });
    expect(mayJoin({ start, state: 'live' }, 'client', at(60))).toEqual({ ok: false, code: 'consultation_over' });
    expect(mayJoin({ start, state: 'ended' }, 'staff', at(10))).toEqual({ ok: false, code: 'consultation_over' });
    expect(mayJoin({ start, state: 'no_show', endedAt: at(20) }, 'client', at(25))).toEqual({ ok: false, code: 'consultation_over' });
  });

  it('admits a client late after the no-show mark (T+15) while the room was not closed', () => {
    expect(mayJoin({ start, state: 'no_show', endedAt: null }, 'client', at(20))).toEqual({ ok: true, endsAt: at(60) });
  });

  it('says cancelled for a cancelled one and technical_failure for a failed one', () => {
    expect(mayJoin({ start, state: 'cancelled' }, 'client', at(5))).toEqual({ ok: false, code: 'cancelled' });
    expect(mayJoin({ start, state: 'failed' }, 'staff', at(5))).toEqual({ ok: false, code: 'technical_failure' });
  });

  it('never admits anyone outside [T−30, T+60), whatever the state', () => {
    let admitted = 0;
    for (const state of ['planned', 'precheck', 'open', 'live', 'no_show'] as const) {
      for (const role of ['staff', 'client'] as const) {
        for (let min = -200; min <= 200; min++) {
          const r = mayJoin({ start, state }, role, at(min));
          expect(r.ok).toBe(min >= (role === 'staff' ? -30 : 0) && min < 60);
          if (r.ok) admitted++;
        }
      }
    }
    expect(admitted).toBe(5 * (90 + 60)); // the property was exercised on both sides of every bound
  });
});

describe('mayRunNetworkTest', () => {
  it('lets a client admitted late (no_show, room not closed) run the device check, before the limit only', () => {
    expect(mayRunNetworkTest({ start, state: 'no_show', endedAt: null }, at(20))).toBe(true);
    expect(mayRunNetworkTest({ start, state: 'no_show', endedAt: null }, at(60))).toBe(false);
    expect(mayRunNetworkTest({ start, state: 'no_show', endedAt: at(30) }, at(31))).toBe(false);
  });

  it('allows it before T (a waiting client) and refuses it once over, cancelled or failed', () => {
    expect(mayRunNetworkTest({ start, state: 'planned' }, at(-120))).toBe(true);
    for (const state of ['ended', 'cancelled', 'failed'] as const) expect(mayRunNetworkTest({ start, state }, at(5))).toBe(false);
  });
});

describe('the telephone and e-mail forms', () => {
  it('record their outcome only while the consultation is planned (no room: no pre-check, no open room)', () => {
    expect(nextState('held_by_phone', 'planned')).toBe('ended');
    expect(nextState('not_reached_by_phone', 'planned')).toBe('no_show');
    expect(nextState('answered_by_email', 'planned')).toBe('ended');
    for (const event of FORM_OUTCOME_EVENTS) {
      for (const state of CONSULTATION_STATES.filter((s) => s !== 'planned'))
        expect([event, state, allows(event, state)]).toEqual([event, state, false]);
    }
  });
});
