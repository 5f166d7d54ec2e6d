/** File-system error codes in words, for one-line messages ("cannot write x.png: no space left on device"). */
const CODE_TEXT: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EEXIST: 'it already exists',
  EXDEV: 'cannot move across file systems',
};

/** "ENOSPC (no space left on device)" for a Node file-system error; the message's first line otherwise. */
export function fsErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') {
    const words = Object.hasOwn(CODE_TEXT, code) ? CODE_TEXT[code] : undefined;
    return words === undefined ? code : `${code} (${words})`;
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
