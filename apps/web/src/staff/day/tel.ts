/** A `tel:` address for a contact that looks like a phone number (else undefined: shown as text). */
export function telHref(contact: string): string | undefined {
  return /^[+\d][\d\s()-]{5,}$/.test(contact.trim()) ? `tel:${contact.replace(/[^\d+]/g, '')}` : undefined;
}
