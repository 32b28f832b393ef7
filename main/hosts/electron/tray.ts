/** The tray icon: how many alerts are active, and a way back to the window. */
import type { Menu as MenuType, NativeImage, Tray as TrayType } from 'electron';

export function trayLabel(active: number): string {
  return active === 0 ? 'Vakt: no active alerts' : `Vakt: ${active} active alert${active === 1 ? '' : 's'}`;
}

export function createTray(Tray: typeof TrayType, Menu: typeof MenuType, icon: NativeImage, onOpen: () => void, onQuit: () => void): { setActive(n: number): void; dispose(): void } {
  const tray = new Tray(icon);
  const render = (n: number) => {
    tray.setToolTip(trayLabel(n));
    // macOS shows the title next to the icon; elsewhere the tooltip and menu carry the count.
    tray.setTitle(n > 0 ? String(n) : '');
    tray.setContextMenu(Menu.buildFromTemplate([{ label: trayLabel(n), enabled: false }, { type: 'separator' }, { label: 'Open Vakt', click: onOpen }, { label: 'Quit', click: onQuit }]));
  };
  tray.on('click', onOpen);
  render(0);
  return { setActive: render, dispose: () => tray.destroy() };
}
