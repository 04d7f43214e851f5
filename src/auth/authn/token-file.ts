/**
 * Static bearer tokens (`--token-auth-file`, upstream staging/.../authentication/token/tokenfile):
 * a CSV file, one record per line, `token,user,uid[,"group1,group2"]`; at least 3 columns; a
 * record with an empty token is skipped; a later duplicate token wins. Quoting follows Go's
 * encoding/csv (fields in double quotes, `""` for a quote inside; blank lines skipped).
 *
 * Like every audience-agnostic token authenticator upstream (WrapAudienceAgnosticToken), a token
 * is only valid for the API audiences: when the request names target audiences that do not meet
 * the API audiences, the authenticator abstains.
 */
import { bearerTokenOf, type AuthResult, type SyncAuthenticator, type UserInfo } from './types.js';

/** Go encoding/csv with FieldsPerRecord = -1: records of fields; throws with Go's wording on a malformed quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // Skip empty lines.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const record: string[] = [];
    const recordLine = line;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const startCol = i;
        i++;
        for (;;) {
          if (i >= n) throw new Error(`record on line ${recordLine}; parse error on line ${line}, column ${i - startCol}: extraneous or missing " in quoted-field`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new Error(`parse error on line ${line}: extraneous or missing " in quoted-field`);
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new Error(`parse error on line ${line}: bare " in non-quoted-field`);
          field += text[i];
          i++;
        }
      }
      record.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

/** The users of a token file's text; `path` only names the file in errors. */
export function parseTokenFile(text: string, path: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const record of parseCsv(text)) {
    if (record.length < 3) {
      throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    }
    if (record[0] === '') continue;
    const user: UserInfo = { username: record[1]!, uid: record[2]!, groups: record.length >= 4 ? record[3]!.split(',') : [] };
    tokens.set(record[0]!, user);
  }
  return tokens;
}

export interface TokenFileAuthenticatorOptions {
  tokens: Map<string, UserInfo>;
  apiAudiences(): string[];
}

export function createTokenFileAuthenticator(o: TokenFileAuthenticatorOptions): SyncAuthenticator {
  return {
    authenticate(creds) {
      const token = bearerTokenOf(creds.authorization);
      if (token === undefined) return null;
      let audiences: string[] | undefined;
      if (creds.audiences) {
        const target = creds.audiences;
        audiences = o.apiAudiences().filter((a) => target.includes(a));
        if (audiences.length === 0) return null;
      }
      const user = o.tokens.get(token);
      if (!user) return null;
      const result: AuthResult = { user: { ...user, groups: [...user.groups] } };
      if (audiences) result.audiences = audiences;
      return result;
    },
  };
}
