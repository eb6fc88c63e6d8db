namespace BookBatch.Engine.Settings
{
    /// <summary>How a mail's connection to its SMTP server is protected.</summary>
    public enum MailSecurity
    {
        /// <summary>A plain connection that must be upgraded with STARTTLS before anything is sent (port 587).</summary>
        StartTls,
        /// <summary>TLS from the first byte (port 465).</summary>
        Tls,
        /// <summary>No TLS: allowed only to a server on this machine (a loopback address), where nothing crosses a network.</summary>
        None,
    }
}
