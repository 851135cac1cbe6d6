// Who hands a client's link over (links.ts enforces it; consultation views say it so that the
// staff screens offer «Ссылка для клиента» only to them): the institution's head, the member
// of staff who booked the consultation, and the social worker responsible for its request.
import type { StaffRoleName } from '@dp/protocol';

export interface LinkKeeping {
  createdById: string | null;
  request: { responsibleSpecialistId: string | null } | null;
}

export function handsOverLinks(caller: { id: string; role: StaffRoleName } | null, c: LinkKeeping): boolean {
  if (!caller) return false;
  return (
    caller.role === 'head' ||
    c.createdById === caller.id ||
    (caller.role === 'social_worker' && c.request?.responsibleSpecialistId === caller.id)
  );
}
