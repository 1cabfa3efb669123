import type { AutoSubmitView } from './AutoSubmitView.js';
import type { ConfirmDeleteView } from './ConfirmDeleteView.js';
import type { AdminDeleteView } from './AdminDeleteView.js';
import type { AdminIssueView } from './AdminIssueView.js';
import type { AdminLogView } from './AdminLogView.js';
import type { AdminPolicyView } from './AdminPolicyView.js';
import type { AdminUserFormView } from './AdminUserFormView.js';
import type { AdminUsersView } from './AdminUsersView.js';
import type { AdminUserView } from './AdminUserView.js';
import type { ConfirmPasskeyView } from './ConfirmPasskeyView.js';
import type { ConsentView } from './ConsentView.js';
import type { DeviceCodeView } from './DeviceCodeView.js';
import type { FederationErrorView } from './FederationErrorView.js';
import type { IdentifierView } from './IdentifierView.js';
import type { LogoutView } from './LogoutView.js';
import type { MessageView } from './MessageView.js';
import type { PasskeyView } from './PasskeyView.js';
import type { PasswordView } from './PasswordView.js';
import type { RegisterView } from './RegisterView.js';
import type { SecurityInfoView } from './SecurityInfoView.js';
import type { SelectAccountView } from './SelectAccountView.js';
import type { TapView } from './TapView.js';

/** Each view under views/ and the locals it reads: renderView checks every call against this. */
export interface ViewLocals {
  'auto-submit': AutoSubmitView;
  'confirm-delete': ConfirmDeleteView;
  'admin-delete': AdminDeleteView;
  'admin-issue': AdminIssueView;
  'admin-log': AdminLogView;
  'admin-policy': AdminPolicyView;
  'admin-user': AdminUserView;
  'admin-user-form': AdminUserFormView;
  'admin-users': AdminUsersView;
  'confirm-passkey': ConfirmPasskeyView;
  consent: ConsentView;
  'device-code': DeviceCodeView;
  'federation-error': FederationErrorView;
  identifier: IdentifierView;
  logout: LogoutView;
  message: MessageView;
  passkey: PasskeyView;
  password: PasswordView;
  register: RegisterView;
  'security-info': SecurityInfoView;
  'select-account': SelectAccountView;
  tap: TapView;
}
