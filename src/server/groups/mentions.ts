/**
 * Mentions: `@` followed by a member's display name exactly as the member list shows
 * it (case does not matter), e.g. "@Irina Sokolova, could Ridder share…". Names may
 * have spaces, so each `@` is matched against the group's member names, longest
 * first, and the name must end at a word boundary. Only members of the group can be
 * mentioned; text in code spans and code blocks mentions nobody.
 */
export function findMentions(body: string, members: ReadonlyArray<{ userId: string; displayName: string }>): string[] {
  const text = body.replace(/```[\s\S]*?```/g, ' ').replace(/~~~[\s\S]*?~~~/g, ' ').replace(/`[^`\n]*`/g, ' ').toLocaleLowerCase();
  const candidates = members
    .map((member) => ({ userId: member.userId, name: member.displayName.trim().toLocaleLowerCase() }))
    .filter((member) => member.name.length > 0)
    .sort((a, b) => b.name.length - a.name.length);
  const found = new Set<string>();
  let at = text.indexOf('@');
  while (at !== -1) {
    // An @ inside a word (an email address) is not a mention.
    const before = at > 0 ? text[at - 1]! : ' ';
    if (!/[\p{L}\p{N}_.]/u.test(before)) {
      const rest = text.slice(at + 1);
      const match = candidates.find((member) => rest.startsWith(member.name) && !/^[\p{L}\p{N}_]/u.test(rest.slice(member.name.length)));
      if (match) {
        // Members who share the matched name are all mentioned.
        for (const member of candidates) if (member.name === match.name) found.add(member.userId);
      }
    }
    at = text.indexOf('@', at + 1);
  }
  return [...found];
}
