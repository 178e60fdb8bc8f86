using DriverOffers.Server.Common;

namespace DriverOffers.Tests.Common;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("a\u0000b", 0x0000)]
    [InlineData("red \u001b[31m", 0x001B)]
    [InlineData("bell\u0007", 0x0007)]
    [InlineData("c1 \u0085 next line", 0x0085)]
    [InlineData("pay \u202e0091$", 0x202E)]
    [InlineData("isolate \u2067x\u2069", 0x2067)]
    public void Text_with_a_control_or_bidi_override_character_is_refused_naming_the_field_and_the_character(string text, int code)
    {
        var v = new Validation();
        v.Text(text, "message", 1, 4000);
        Assert.False(v.IsValid);
        var message = Assert.Single(v.Errors["message"]);
        Assert.StartsWith("message must not contain control characters or bidirectional overrides", message);
        Assert.Contains($"U+{code:X4}", message);
    }

    [Theory]
    [InlineData("Line one\nline two\r\nand\ta tab")]
    [InlineData("שלום \u200f(RLM) and \u200e(LRM) marks, عربى \u061c")]
    [InlineData("Émile Zoë 🚚 ✓")]
    public void Text_with_line_breaks_tabs_right_to_left_marks_and_emoji_is_accepted(string text)
    {
        var v = new Validation();
        Assert.Equal(text, v.Text(text, "message", 1, 4000));
        Assert.True(v.IsValid);
    }
}
