/**
 * The panel's error actions: Retry, Open Setting and Test Connection. A failure while a trace is
 * on screen (a refresh with the backend down) shows them in a banner above the trace, which stays;
 * the error page (nothing to show) carries the same buttons. The message is the host's sentence,
 * set as text.
 */
import { el, icon } from './dom';
import type { HostApi } from './hostApi';
import { S } from './l10n';

/** The three buttons every error offers, in the order people reach for them. */
export function errorActions(host: HostApi, primary: boolean): HTMLDivElement {
  const button = (iconName: string, label: string, testId: string, run: () => void, main = false) => {
    const b = el(
      'button',
      {
        class: `tl-btn tl-btn-text${main ? ' tl-primary' : ''}`,
        attrs: { type: 'button', 'data-testid': testId },
      },
      [icon(iconName), el('span', { text: label })],
    );
    b.addEventListener('click', run);
    return b;
  };
  return el('div', { class: 'tl-error-actions' }, [
    button('refresh', S.retry, 'retry', () => host.refresh(), primary),
    button('settings-gear', S.openSetting, 'open-setting', () => host.openBackendSetting()),
    button('plug', S.testConnection, 'test-connection', () => host.testConnection()),
  ]);
}

/** The banner over a trace that is still shown although fetching it again failed. */
export class ErrorBanner {
  readonly element: HTMLDivElement;
  private readonly message: HTMLSpanElement;

  constructor(host: HostApi) {
    this.message = el('span', { class: 'tl-fail-banner-message' });
    const close = el(
      'button',
      {
        class: 'tl-btn',
        title: S.dismiss,
        attrs: { type: 'button', 'aria-label': S.dismiss, 'data-testid': 'banner-dismiss' },
      },
      [icon('close')],
    );
    close.addEventListener('click', () => this.hide());
    this.element = el(
      'div',
      { class: 'tl-fail-banner', attrs: { role: 'alert', 'data-testid': 'error-banner' } },
      [
        icon('error', 'tl-fail-banner-icon'),
        el('div', { class: 'tl-fail-banner-body' }, [
          el('div', {
            class: 'tl-fail-banner-title',
            text: S.refreshFailed,
          }),
          this.message,
        ]),
        errorActions(host, false),
        close,
      ],
    );
    this.element.hidden = true;
  }

  show(message: string): void {
    this.message.textContent = message;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
    this.message.textContent = '';
  }

  get shown(): boolean {
    return !this.element.hidden;
  }
}
