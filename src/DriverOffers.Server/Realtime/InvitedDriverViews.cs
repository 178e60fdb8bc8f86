using System.Text.Json;
using System.Text.Json.Serialization;
using DriverOffers.Server.Features.Offers;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// The <c>offer_created</c> views of one send's newly invited drivers. They differ only in <c>my_proposal</c> (the offer
/// is open, nothing is booked or unread yet), so the rest is serialized once per send instead of once per driver: on a
/// send to 1,000 drivers serializing the views was half the push loop's CPU. The bytes are the ones the serializer writes
/// for the plain view (checked on the send's first view, and by a test); a view that differs from the send's first view
/// anywhere but in its proposal is sent plain.
/// </summary>
public sealed class InvitedDriverViews
{
    /// <summary>The first view without its proposal: what every view of the send shares.</summary>
    private readonly OfferResponse _shared;
    private readonly OfferResponse _sample;
    private volatile Prefix? _prefix;

    private InvitedDriverViews(OfferResponse sample)
    {
        _sample = sample;
        _shared = sample with { MyProposal = null };
    }

    /// <summary>Each view as it is best sent: sharing the serialized offer where it can.</summary>
    public static IEnumerable<KeyValuePair<int, OfferResponse>> Of(IReadOnlyDictionary<int, OfferResponse> views)
    {
        var shared = views.Values.FirstOrDefault(v => v.MyProposal is not null) is { } sample ? new InvitedDriverViews(sample) : null;
        return shared is null ? views : views.Select(v => KeyValuePair.Create(v.Key, shared.Wrap(v.Value)));
    }

    private OfferResponse Wrap(OfferResponse view) =>
        view.MyProposal is not null && view.GetType() == typeof(OfferResponse) && view with { MyProposal = null } == _shared
            ? new SharedOfferView(view, this)
            : view;

    /// <summary>
    /// The shared view serialized with <paramref name="options"/> up to <c>my_proposal</c>'s value (it is the last
    /// property), or null if that is not how the serializer writes the view.
    /// </summary>
    private byte[]? PrefixFor(JsonSerializerOptions options)
    {
        if (_prefix is { } known && ReferenceEquals(known.Options, options))
        {
            return known.Bytes;
        }
        var shared = JsonSerializer.SerializeToUtf8Bytes(_shared, options);
        ReadOnlySpan<byte> end = "null}"u8;
        byte[]? bytes = shared.AsSpan().EndsWith(end) ? shared[..^end.Length] : null;
        if (bytes is not null && !Compose(bytes, _sample.MyProposal, options).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(_sample, options)))
        {
            bytes = null;
        }
        _prefix = new Prefix(options, bytes);
        return bytes;
    }

    /// <summary>Whether views serialized with <paramref name="options"/> are written from the shared bytes.</summary>
    internal static bool SharesBytes(OfferResponse view, JsonSerializerOptions options) =>
        view is SharedOfferView shared && shared.Views.PrefixFor(options) is not null;

    private static byte[] Compose(byte[] prefix, Features.Proposals.ProposalResponse? proposal, JsonSerializerOptions options)
    {
        var mine = JsonSerializer.SerializeToUtf8Bytes(proposal, options);
        var json = new byte[prefix.Length + mine.Length + 1];
        prefix.CopyTo(json, 0);
        mine.CopyTo(json, prefix.Length);
        json[^1] = (byte)'}';
        return json;
    }

    private sealed record Prefix(JsonSerializerOptions Options, byte[]? Bytes);

    /// <summary>One driver's view whose offer part is written from the send's shared bytes.</summary>
    [JsonConverter(typeof(Converter))]
    private sealed record SharedOfferView : OfferResponse
    {
        public SharedOfferView(OfferResponse view, InvitedDriverViews views) : base(view) => Views = views;

        internal InvitedDriverViews Views { get; }
    }

    /// <summary>Writes a <see cref="SharedOfferView"/>; the hub only sends these, it never receives one.</summary>
    private sealed class Converter : JsonConverter<SharedOfferView>
    {
        public override SharedOfferView Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Offer views are only sent.");

        public override void Write(Utf8JsonWriter writer, SharedOfferView value, JsonSerializerOptions options)
        {
            if (value.Views.PrefixFor(options) is { } prefix)
            {
                writer.WriteRawValue(Compose(prefix, value.MyProposal, options), skipInputValidation: true);
            }
            else
            {
                JsonSerializer.Serialize<OfferResponse>(writer, value, options);
            }
        }
    }
}
