//! E-mail over SMTP (lettre): `smtp://` requires STARTTLS, `smtps://` is
//! TLS from the start, `smtp+plain://` is neither (for a relay on
//! loopback); a login comes from the URL's user part. The message has the
//! subject of the change, a plain-text part that reads well alone and an
//! HTML part with the changed words marked, and `Message-ID:
//! <delivery id@redline>` so a mail client can tell a resent one.

use lettre::message::{MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use redline_config::Alert;

use super::{Sender, TIMEOUT, needed};
use crate::SendError;
use crate::message::Message;

fn decoded(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub async fn send(_sender: &Sender, alert: &Alert, message: &Message) -> Result<(), SendError> {
    let smtp = needed(alert, &alert.smtp, "smtp")?;
    let from = needed(alert, &alert.from, "from")?;
    let bad_setting = |key: &str| {
        SendError::new(format!(
            "alert {:?}: {key} is not usable (check [[alert]] {key})",
            alert.name
        ))
    };
    let url = url::Url::parse(smtp.expose()).map_err(|_| bad_setting("smtp"))?;
    let host = url
        .host_str()
        .ok_or_else(|| bad_setting("smtp"))?
        .to_string();
    let what = format!("the SMTP server {host}");
    let builder = match url.scheme() {
        "smtps" => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
        "smtp" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
        "smtp+plain" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &host,
        )),
        _ => return Err(bad_setting("smtp")),
    }
    .map_err(|e| SendError::new(format!("{what}: {e}")))?;
    let mut builder = builder.timeout(Some(TIMEOUT));
    if let Some(port) = url.port() {
        builder = builder.port(port);
    }
    if !url.username().is_empty() {
        builder = builder.credentials(Credentials::new(
            decoded(url.username()),
            decoded(url.password().unwrap_or("")),
        ));
    }
    let transport = builder.build();
    let mut email = lettre::Message::builder()
        .from(from.parse().map_err(|_| bad_setting("from"))?)
        .subject(message.subject())
        .message_id(Some(format!("<{}@redline>", message.id)))
        .header(header::UserAgent::from("redline".to_string()));
    for to in &alert.to {
        email = email.to(to.parse().map_err(|_| bad_setting("to"))?);
    }
    let email = email
        .multipart(MultiPart::alternative_plain_html(
            message.text(),
            message.html(),
        ))
        .map_err(|e| SendError::new(format!("cannot write the e-mail: {e}")))?;
    transport
        .send(email)
        .await
        .map(drop)
        .map_err(|e| SendError::new(format!("{what}: {e}")))
}
