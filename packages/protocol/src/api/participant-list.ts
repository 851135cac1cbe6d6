import { z } from 'zod';
import { Email } from './common.ts';

// The e-mail list a specialist pastes into «Новый вебинар» or «Добавить участников»: one
// person a line, «Имя <e-mail>» or a bare e-mail. The web app shows each bad line's error at
// once; the server parses the same text again (AddParticipantsBody.emailList) with the same code.

export interface ListedPerson {
  /** Absent for a bare address. */
  displayName?: string;
  email: string;
}

/** Why a line was not taken. */
export type ListLineProblem = 'invalid_email' | 'duplicate' | 'name_too_long';

export interface ListLineError {
  /** 1-based, as the textarea shows it. */
  line: number;
  problem: ListLineProblem;
}

export interface ParsedPersonList {
  people: ListedPerson[];
  errors: ListLineError[];
}

// «Имя Фамилия <a@b.ru>» (quotes around the name are dropped) or «a@b.ru».
const WITH_NAME = /^(.*?)\s*<([^<>]*)>$/;
const MAX_NAME = 200;

/** Parses the pasted list: blank lines are skipped, each address once (case-insensitive). */
export function parsePersonList(text: string): ParsedPersonList {
  const people: ListedPerson[] = [];
  const errors: ListLineError[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim().replace(/[;,]$/, '').trim();
    if (line === '') return;
    const named = WITH_NAME.exec(line);
    const name = named ? named[1]!.replace(/^["«']+|["»']+$/g, '').trim() : '';
    const address = Email.safeParse((named ? named[2]! : line).trim());
    if (!address.success) {
      errors.push({ line: i + 1, problem: 'invalid_email' });
      return;
    }
    if (name.length > MAX_NAME) {
      errors.push({ line: i + 1, problem: 'name_too_long' });
      return;
    }
    if (seen.has(address.data)) {
      errors.push({ line: i + 1, problem: 'duplicate' });
      return;
    }
    seen.add(address.data);
    people.push(name ? { displayName: name, email: address.data } : { email: address.data });
  });
  return { people, errors };
}

/** The pasted list as an API field: parsed on the server, each bad line an issue («line 3: invalid_email»). */
export const PersonListText = z
  .string()
  .max(200_000)
  .transform((text, ctx) => {
    const parsed = parsePersonList(text);
    for (const e of parsed.errors) ctx.addIssue({ code: 'custom', message: `line ${e.line}: ${e.problem}` });
    return parsed.people;
  });
