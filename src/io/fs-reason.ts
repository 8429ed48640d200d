/** File-system errors in plain words, for messages that name the path themselves (no bare errno codes). */
const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the disk',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for the disk',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the disk is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'it already exists',
  EIO: 'a read or write error of the disk',
  EPIPE: 'the reader has gone',
  EBADF: 'it is closed',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'it is busy',
  ETXTBSY: 'it is busy',
  EMFILE: 'too many files open',
  ENFILE: 'too many files open',
  ENXIO: 'no such device, or no reader on the FIFO',
  EXDEV: 'it is on another disk',
  EAGAIN: 'it is not ready; try again',
  ECONNRESET: 'the reader has gone',
  EINVAL: 'the operation is not possible here',
};

export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && WORDS[code]) return WORDS[code];
  const msg = (e as Error | undefined)?.message ?? String(e);
  // "ENOSPC: no space left on device, write" → "no space left on device"
  return msg.replace(/^E[A-Z0-9]+: /, '').replace(/, \w+( '.*')?$/, '');
}
