import { dateTime } from "../components/format";
import { useAccount } from "../session";
import { ChangePassword } from "./ChangePassword";
import { DeleteAccount } from "./DeleteAccount";
import { ExportData } from "./ExportData";
import "./account.css";

/** Account settings: who you are, a new password, a copy of your data, and deleting the account. */
export function AccountScreen() {
  const user = useAccount();
  if (!user) return null;
  const hasPassword = user.provider === "password";
  return (
    <section className="account" aria-labelledby="account-title">
      <h1 id="account-title">Account settings</h1>
      <dl className="panel account-facts">
        <div>
          <dt>E-mail</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{user.role === "admin" ? "Administrator" : "Member"}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{dateTime(user.created_at)}</dd>
        </div>
      </dl>
      {hasPassword && <ChangePassword />}
      <ExportData />
      <DeleteAccount user={user} />
    </section>
  );
}
