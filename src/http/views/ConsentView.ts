/** views/consent.ejs: the admin API permissions a client asks for, in words. */
export interface ConsentView {
  title: string;
  username: string;
  clientName: string;
  action: string;
  permissions: { name: string; words: string }[];
}
