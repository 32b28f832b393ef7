/**
 * The sync token's cipher in the desktop app: Electron's safeStorage, except
 * where it would not really encrypt. On Linux without a keyring (no
 * gnome-keyring/libsecret, no KWallet) safeStorage's backend is `basic_text`:
 * the token would be "encrypted" with a key built into Chromium, i.e. readable
 * by anyone who can read the file. There the token is refused with a message
 * that says why and what to do, instead of being stored that way.
 */
import type { SafeStorage } from 'electron';
import type { StringCipher } from '../../sync/token-store.js';

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & {
  /** Linux only (undefined elsewhere). */
  getSelectedStorageBackend?: () => string;
};

export function basicTextRefusal(tokenFile: string): string {
  return (
    'No OS keyring is available (Electron safeStorage backend "basic_text"), so the sync token cannot be stored encrypted; it was refused. ' +
    'Start or install a keyring (GNOME Keyring / libsecret or KWallet) and enrol again, ' +
    `or run the browser shell (\`vakt start --browser\`), which keeps the token in a file only you can read (${tokenFile}, mode 0600 in a 0700 folder).`
  );
}

export function electronTokenCipher(safeStorage: SafeStorageLike, tokenFile: string, platform: NodeJS.Platform = process.platform): StringCipher {
  const basicText = () => platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  return {
    isEncryptionAvailable: () => !basicText() && safeStorage.isEncryptionAvailable(),
    unavailableReason: () => (basicText() ? basicTextRefusal(tokenFile) : null),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}
