using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace BookBatch.Engine.Settings
{
    /// <summary>
    /// The <c>notifications</c> section of <c>bookbatch.json</c>: webhooks, commands and mails told about a batch's end. Checked
    /// when the settings are read: an unknown key, a URL that is not http(s), a bad value is refused with its key.
    /// </summary>
    public sealed class NotificationSettings
    {
        /// <summary>The section's key in bookbatch.json.</summary>
        public const string Key = "notifications";

        /// <summary>The keys of the section.</summary>
        public static readonly IReadOnlyList<string> SectionKeys = new[] { "webhooks", "commands", "email" };
        /// <summary>The keys of a webhook.</summary>
        public static readonly IReadOnlyList<string> WebhookKeys = new[] { "name", "url", "format", "when", "include", "timeoutSeconds" };
        /// <summary>The keys of a command.</summary>
        public static readonly IReadOnlyList<string> CommandKeys = new[] { "name", "command", "arguments", "when", "include", "timeoutSeconds" };

        /// <summary>The longest a target may take, and the default.</summary>
        public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30), DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>No notification.</summary>
        public static readonly NotificationSettings None = new(Array.Empty<NotificationTarget>());

        private NotificationSettings(IReadOnlyList<NotificationTarget> targets) => Targets = targets;

        /// <summary>Every target, webhooks first, in the file's order.</summary>
        public IReadOnlyList<NotificationTarget> Targets { get; }

        /// <summary>Reads the section of a settings file's root object (<see cref="None"/> when it has none).</summary>
        public static NotificationSettings Read(JsonElement root, string path)
        {
            if (!root.TryGetProperty(Key, out var section) || section.ValueKind == JsonValueKind.Null) return None;
            var reader = new SettingsReader(path);
            reader.RequireObject(section, Key, "{\"webhooks\": [...], \"commands\": [...]}");
            reader.KnownKeys(section, SectionKeys, Key);
            var targets = new List<NotificationTarget>();
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (item, key) in Items(reader, section, "webhooks", "{\"url\": \"https://...\", \"format\": \"slack\"}"))
                targets.Add(Named(reader, names, key, Webhook(reader, item, key, targets.Count + 1)));
            foreach (var (item, key) in Items(reader, section, "commands", "{\"command\": \"...\", \"arguments\": [...]}"))
                targets.Add(Named(reader, names, key, CommandTarget(reader, item, key, targets.Count + 1)));
            foreach (var (item, key) in Items(reader, section, "email", "{\"server\": \"smtp.example.com\", \"from\": \"...\", \"to\": [\"...\"]}"))
            {
                var mail = MailSettings.Read(reader, item, key);
                targets.Add(Named(reader, names, key, Target(reader, item, key, reader.String(item, "name", null, key) ?? $"email-{targets.Count + 1}",
                    NotificationFormat.Email, null, null, Array.Empty<string>(), mail)));
            }
            return new NotificationSettings(targets);
        }

        /// <summary>True when a target sends mail (what a batch's -MailTo needs).</summary>
        public bool HasMail => Targets.Any(t => t.Mail != null);

        /// <summary>These settings with more recipients on every mail target, for one batch (Invoke-BookBatch -MailTo).</summary>
        public NotificationSettings WithMailRecipients(IReadOnlyList<string> recipients) =>
            recipients.Count == 0 ? this : new NotificationSettings(Targets.Select(t => t.WithRecipients(recipients)).ToList());

        // The objects of the section's list <paramref name="name"/>, each with its key (notifications.webhooks[0]).
        private static IEnumerable<(JsonElement Item, string Key)> Items(SettingsReader reader, JsonElement section, string name, string example)
        {
            if (!section.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null) yield break;
            var key = Key + "." + name;
            if (list.ValueKind != JsonValueKind.Array) throw reader.Invalid(key, "must be an array of objects");
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var itemKey = $"{key}[{index++}]";
                reader.RequireObject(item, itemKey, example);
                yield return (item, itemKey);
            }
        }

        private static NotificationTarget Named(SettingsReader reader, HashSet<string> names, string key, NotificationTarget target)
        {
            if (!names.Add(target.Name)) throw reader.Invalid(key + ".name", $"'{target.Name}' names two notifications; give each its own name");
            return target;
        }

        private static NotificationTarget Webhook(SettingsReader reader, JsonElement item, string key, int number)
        {
            reader.KnownKeys(item, WebhookKeys, key);
            var text = reader.String(item, "url", null, key) ?? throw reader.Invalid(key + ".url", "is required: the webhook's http or https URL");
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                throw reader.Invalid(key + ".url", "must be an absolute http or https URL");
            var formatText = reader.String(item, "format", null, key);
            var format = formatText is null ? FormatOf(url) : reader.Choice(formatText, key + ".format", WebhookFormats);
            return Target(reader, item, key, reader.String(item, "name", null, key) ?? $"{format.ToString().ToLowerInvariant()}-{number}", format, url, null, Array.Empty<string>());
        }

        private static NotificationTarget CommandTarget(SettingsReader reader, JsonElement item, string key, int number)
        {
            reader.KnownKeys(item, CommandKeys, key);
            var command = reader.String(item, "command", null, key);
            if (string.IsNullOrWhiteSpace(command)) throw reader.Invalid(key + ".command", "is required: the executable to run (never a shell command line)");
            return Target(reader, item, key, reader.String(item, "name", null, key) ?? $"command-{number}", NotificationFormat.Command, null, command,
                reader.Strings(item, "arguments", key));
        }

        private static NotificationTarget Target(SettingsReader reader, JsonElement item, string key, string name, NotificationFormat format, Uri? url,
            string? command, IReadOnlyList<string> arguments, MailSettings? mail = null)
        {
            var include = reader.Strings(item, "include", key, fallback: new[] { "failed", "review" })
                .Select(v => reader.Choice(v, key + ".include", Lists)).ToList();
            var when = reader.Strings(item, "when", key, "one of " + string.Join(", ", Whens.Keys) + ", or an array of them", fallback: new[] { "always" }, single: true);
            if (when.Count == 0) throw reader.Invalid(key + ".when", "must name at least one of " + string.Join(", ", Whens.Keys));
            return new NotificationTarget(name, format, url, command, arguments,
                when.Aggregate(NotificationWhen.None, (all, v) => all | reader.Choice(v, key + ".when", Whens)),
                include.Contains("failed"), include.Contains("review"),
                reader.Seconds(item, "timeoutSeconds", DefaultTimeout.TotalSeconds, allowZero: false, key, most: MaxTimeout.TotalSeconds), mail);
        }

        private static readonly Dictionary<string, NotificationFormat> WebhookFormats = new(StringComparer.OrdinalIgnoreCase)
        {
            ["slack"] = NotificationFormat.Slack, ["teams"] = NotificationFormat.Teams, ["discord"] = NotificationFormat.Discord, ["json"] = NotificationFormat.Json,
        };

        private static readonly Dictionary<string, NotificationWhen> Whens = new(StringComparer.OrdinalIgnoreCase)
        {
            ["always"] = NotificationWhen.Always, ["failure"] = NotificationWhen.Failure, ["review"] = NotificationWhen.Review,
        };

        private static readonly Dictionary<string, string> Lists = new(StringComparer.OrdinalIgnoreCase) { ["failed"] = "failed", ["review"] = "review" };

        // Without "format", the webhook's host says which service it is; any other host gets BookBatch's JSON.
        private static NotificationFormat FormatOf(Uri url)
        {
            var host = url.Host.ToLowerInvariant();
            if (host == "hooks.slack.com") return NotificationFormat.Slack;
            if (host is "discord.com" or "discordapp.com" or "ptb.discord.com" or "canary.discord.com") return NotificationFormat.Discord;
            if (host.EndsWith(".webhook.office.com", StringComparison.Ordinal) || host.EndsWith(".logic.azure.com", StringComparison.Ordinal)
                || host.EndsWith(".powerplatform.com", StringComparison.Ordinal)) return NotificationFormat.Teams;
            return NotificationFormat.Json;
        }
    }
}
