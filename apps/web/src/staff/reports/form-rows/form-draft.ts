import type { ReportFormSaveBody, ReportFormState } from '@dp/protocol';

// The form editor's draft: the rows the department added, kept ones with their key, new ones
// without. Checks of a new row's name before it joins the draft (the server checks again).

export type DraftRow = ReportFormSaveBody['rows'][number];

const norm = (label: string) => label.trim().replace(/\s+/g, ' ').toLocaleLowerCase('ru');

/** What is wrong with a new row's name in its section, or null. */
export function labelProblem(
  label: string,
  section: string | null,
  state: Pick<ReportFormState, 'builtIn'> | null,
  draft: readonly DraftRow[],
): 'tooShort' | 'tooLong' | 'duplicate' | null {
  const name = label.trim();
  if (name.length < 3) return 'tooShort';
  if (name.length > 200) return 'tooLong';
  const taken = [...(state?.builtIn ?? []), ...draft].some((r) => r.section === section && norm(r.label) === norm(name));
  return taken ? 'duplicate' : null;
}

/** Does the draft differ from the saved form (rows added, removed or moved)? */
export function draftChanged(state: Pick<ReportFormState, 'added'>, draft: readonly DraftRow[]): boolean {
  return (
    draft.length !== state.added.length ||
    draft.some((r, i) => {
      const saved = state.added[i]!;
      return r.key !== saved.key || r.section !== saved.section || r.label !== saved.label;
    })
  );
}

/** The server's field errors of a save ('rows.2.label') by row index. */
export function draftErrors(details: unknown): Record<number, string> {
  const out: Record<number, string> = {};
  if (!details || typeof details !== 'object') return out;
  for (const [field, message] of Object.entries(details)) {
    const m = /^rows\.(\d+)\./.exec(field);
    if (m && typeof message === 'string') out[Number(m[1])] ??= message;
  }
  return out;
}
