import type { Middleware } from 'koa';
import qrcode from 'qrcode-generator';

/** The user codes oidc-provider makes here (`deviceFlow`: charset base-20, mask `****-****`), as typed or shown. */
const USER_CODE = /^([BCDFGHJKLMNPQRSTVWXZ]{4})[-\s]?([BCDFGHJKLMNPQRSTVWXZ]{4})$/;

/**
 * `GET <verification path>/qr?user_code=XXXX-XXXX`: an SVG QR code of the complete verification URI of that code,
 * the `verification_uri_complete` the device was given, for a device that can show an image but not draw one (a
 * kiosk's browser, a CLI printing a link to it). It is a pure function of the code: nothing is looked up, so a valid
 * code and an invalid one of the same shape get the same kind of answer and the endpoint tells a guesser nothing,
 * and the device never has to send its device code (a credential) anywhere but the token endpoint. Only codes of
 * our own shape are drawn, and only into our own verification URI, so it is no QR service for arbitrary links.
 */
export function deviceQrCode(verificationPath: string, verificationUri: string): Middleware {
  const path = `${verificationPath.replace(/\/+$/, '')}/qr`;
  return async (ctx, next) => {
    if (ctx.path !== path) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      return;
    }
    const raw = typeof ctx.query.user_code === 'string' ? ctx.query.user_code.trim().toUpperCase() : '';
    const m = USER_CODE.exec(raw);
    ctx.set('Cache-Control', 'no-store');
    if (!m) {
      ctx.status = 400;
      ctx.type = 'text/plain';
      ctx.body = 'user_code must be the code your device shows, like BCDF-GHJK.';
      return;
    }
    const complete = new URL(verificationUri);
    complete.searchParams.set('user_code', `${m[1]}-${m[2]}`);
    const qr = qrcode(0, 'M');
    qr.addData(complete.href);
    qr.make();
    ctx.type = 'image/svg+xml';
    // Nothing in it runs or loads: the image says so to a browser that opens it on its own.
    ctx.set('Content-Security-Policy', "default-src 'none'");
    ctx.body = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true });
  };
}
