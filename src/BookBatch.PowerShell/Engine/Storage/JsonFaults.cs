using System;
using System.Text.Json;

namespace BookBatch.Engine.Storage
{
    /// <summary>
    /// What System.Text.Json says is wrong with a file, in the project's words: its messages speak of "payloads",
    /// "tokens" and 0-based "LineNumber | BytePositionInLine", which contradict the 1-based line and column every
    /// BookBatch message gives.
    /// </summary>
    public static class JsonFaults
    {
        /// <summary>What is wrong, without the parser's own position and path.</summary>
        public static string Reason(JsonException e)
        {
            var message = e.Message;
            if (Has(message, "maximum configured depth"))
                return "objects and arrays are nested too deep (more than 64 levels), far more than a BookBatch file has";
            if (Has(message, "end of the JSON payload") || Has(message, "end of data") || Has(message, "does not contain any JSON tokens")
                || Has(message, "Expected depth to be zero"))
                return "the JSON ends too early: an object, array or string is not closed (was the file cut short?)";
            if (Has(message, "within a JSON string"))
                return "a string holds a control character or a line break, which JSON wants escaped (\\n, \\t, \\u0000)";
            if (Has(message, "trailing comma"))
                return "a ',' stands before a closing '}' or ']'";
            if (Has(message, "after a property name"))
                return "a ':' must follow the key";
            if (Has(message, "start of a property name"))
                return "a key in double quotes is expected here";
            if (Has(message, "invalid after a value") || Has(message, "Expected a ','") || Has(message, "after a property value"))
                return "a ',' or a closing '}' or ']' is missing";
            if (Has(message, "invalid start of a value") || Has(message, "invalid end of a number") || Has(message, "literal"))
                return "a value is expected here: a string in double quotes, a number, true, false, null, an object or an array";
            return "the text here is not JSON";
        }

        /// <summary>The fault as "line L, column C: what is wrong", 1-based, as an editor shows it.</summary>
        public static string Describe(JsonException e) =>
            $"line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {Reason(e)}";

        private static bool Has(string message, string part) => message.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
