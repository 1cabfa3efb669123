import type { Text } from '../../i18n/Text.js';
/** views/device-code.ejs: the device verification page, where the person types the code their device shows. */
export interface DeviceCodeView {
  title: Text;
  /** oidc-provider's code verification endpoint. */
  action: string;
  /** oidc-provider's one-time value that ties the post to this page. */
  xsrf: string;
  /** Filled in when the person came by the complete URI (a link or QR code) or typed a wrong one. */
  userCode: string;
  error: Text | null;
  /** The device's app, once the code named one. */
  clientName: string | null;
}
