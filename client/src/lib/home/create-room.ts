import type { CreateRoomReply } from '@mmap-lab/shared/protocol/index.ts';
import type { TemplateId } from '@mmap-lab/shared/content/templates.ts';
import { teacherCredential } from '../net/storage.ts';

export type CreateRoomResult = { ok: true; code: string } | { ok: false; message: string };

/** POST /api/rooms; the credential it answers with stays in this browser only. */
export async function createRoom(body: { template: TemplateId; pageSize: number; text?: string }): Promise<CreateRoomResult> {
  let response: Response;
  try {
    response = await fetch('/api/rooms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: 'The server cannot be reached. Check the connection and try again.' };
  }
  const data = (await response.json().catch(() => undefined)) as
    | CreateRoomReply
    | { error?: { message?: string } }
    | undefined;
  if (!response.ok || !data || !('code' in data)) {
    const message = data && 'error' in data ? data.error?.message : undefined;
    return { ok: false, message: message ?? `The server refused (${response.status}).` };
  }
  teacherCredential.set(data.code, data.credential);
  return { ok: true, code: data.code };
}
