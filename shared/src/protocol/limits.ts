/**
 * Size caps for everything a client may send. They exist so that one hostile
 * or buggy browser cannot make the server allocate without bound; each is far
 * above what the lesson needs.
 */
export const LIMITS = {
  /** A display name after trimming, in characters. */
  NAME_MAX: 24,
  /** Raw name input before trimming: a bigger string is refused unread. */
  NAME_INPUT_MAX: 200,
  /** Bytes one pwrite may carry. */
  PWRITE_MAX: 65536,
  /** Bytes one pread may ask for (a count past the address space is still the kernel's, for its EFAULT). */
  PREAD_MAX: 65536,
  /** An initial file given to POST /api/rooms (the trace runner sends a trace's file). */
  FILE_MAX: 1 << 20,
  /** Text a teacher pastes as the file. */
  TEXT_MAX: 65536,
  /** The room code, as typed (spaces and dashes are tolerated, then removed). */
  CODE_INPUT_MAX: 16,
  /** Resume tokens and teacher credentials are 43 base64url characters; allow some slack, no more. */
  SECRET_MAX: 128,
  /** One memory view request reads at most this many bytes. */
  VIEW_MAX: 65536,
  /** Operations one process may have waiting (slow motion, the teacher's queue) before more are refused. */
  QUEUED_PER_PROCESS: 16,
  /** A quiz question id (`c5-no-sync`). */
  QUESTION_ID_MAX: 64,
  /** Choices a quiz answer may name (questions have 2 to 6). */
  QUIZ_CHOICES_MAX: 8,
  /** Socket.IO refuses frames above this many bytes before parsing them. */
  FRAME_MAX: 512 * 1024,
} as const;
