/** Where a watched folder stands: its UIDVALIDITY and the highest UID triaged and stored. */
export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
}

/** `uidvalidity:lastuid`, as stored in `source_cursors`. */
export function formatImapCursor(cursor: ImapCursor): string {
  return `${cursor.uidValidity}:${cursor.lastUid}`;
}

/** The stored position, or undefined when there is none or it is not one of ours. */
export function parseImapCursor(position: string | undefined): ImapCursor | undefined {
  const match = /^(\d{1,20}):(\d{1,10})$/.exec(position ?? "");
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { uidValidity: match[1], lastUid: Number(match[2]) };
}
