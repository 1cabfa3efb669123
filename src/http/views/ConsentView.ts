/** views/consent.ejs: the admin API permissions a client asks for, in words; or a device's sign-in to allow. */
export interface ConsentView {
  title: string;
  username: string;
  clientName: string;
  action: string;
  permissions: { name: string; words: string }[];
  /** A device's sign-in (device authorization grant): the page asks to allow the app on that device. */
  device: boolean;
}
