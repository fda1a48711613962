using System.Text;
using CrossMargin.Ledger.EventStore.Hashing;
using CrossMargin.Ledger.EventStore.Port;
using Newtonsoft.Json.Linq;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CrossMargin.Ledger.Application.Audit;

/// <summary>
/// A signed checkpoint of the log: the seal chain's value at a global position, when it was taken, which
/// store it describes, and an Ed25519 signature over all of it by a key the operator holds outside the
/// database. Kept outside the database too (a JSON Lines file the operator appends to and hands to auditors),
/// it proves later that the log still contains every anchored head: a log cut after the anchor, or rewritten
/// and resealed by someone with write access, no longer has that seal at that position. This is what a
/// signed tree head does for Certificate Transparency logs.
/// </summary>
/// <param name="GlobalPosition">the last sealed position when the anchor was taken.</param>
/// <param name="Seal">the seal chain's value there (covers every event up to it).</param>
/// <param name="AnchoredAt">when, ISO-8601 UTC.</param>
/// <param name="Store">the store it was taken on (a file path, or PostgreSQL server and database; never a
/// password).</param>
/// <param name="PublicKey">the signer's Ed25519 public key, base64 of the raw 32 bytes.</param>
/// <param name="Signature">base64 of the Ed25519 signature over <see cref="Anchors.SignedText"/>.</param>
public sealed record Anchor(
    long GlobalPosition,
    Digest Seal,
    string AnchoredAt,
    string Store,
    string PublicKey,
    string Signature
);

/// <summary>What <see cref="Anchors.VerifyAsync"/> found: how many anchors hold and the latest, or the first that does
/// not.</summary>
public sealed record AnchorReport(int Verified, Anchor? Latest, string? Problem)
{
    /// <summary>Whether every anchor holds.</summary>
    public bool Holds => Problem is null;
}

/// <summary>Taking, writing, reading and checking anchors (<see cref="Anchor"/>).</summary>
public static class Anchors
{
    /// <summary>The version of the anchor line format.</summary>
    public const int Format = 1;

    /// <summary>A new Ed25519 key pair as PEM text: PKCS #8 private key, SubjectPublicKeyInfo public key (the forms
    /// <c>openssl genpkey -algorithm ed25519</c> writes).</summary>
    public static (string PrivatePem, string PublicPem) NewKeyPair()
    {
        var key = new Ed25519PrivateKeyParameters(new SecureRandom());
        return (
            // PKCS #8 version 1 (the seed alone), the form OpenSSL reads and writes; BouncyCastle's default adds the
            // public key
            PemText(
                "PRIVATE KEY",
                new PrivateKeyInfo(
                    new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DerOctetString(key.GetEncoded())
                ).GetEncoded()
            ),
            PemText(
                "PUBLIC KEY",
                SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetEncoded()
            )
        );
    }

    private static string PemText(string label, byte[] der) =>
        new string(System.Security.Cryptography.PemEncoding.Write(label, der)) + "\n";

    /// <summary>An Ed25519 private key from PEM (PKCS #8).</summary>
    /// <exception cref="FormatException">the text is not an Ed25519 private key.</exception>
    public static Ed25519PrivateKeyParameters ReadPrivateKey(string pem)
    {
        try
        {
            return PrivateKeyFactory.CreateKey(Der(pem, "PRIVATE KEY")) as Ed25519PrivateKeyParameters
                ?? throw new FormatException("the key is not an Ed25519 key");
        }
        catch (Exception e)
            when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException)
        {
            throw new FormatException($"not an Ed25519 private key in PEM (PKCS #8): {e.Message}", e);
        }
    }

    /// <summary>An Ed25519 public key from PEM (SubjectPublicKeyInfo).</summary>
    /// <exception cref="FormatException">the text is not an Ed25519 public key.</exception>
    public static Ed25519PublicKeyParameters ReadPublicKey(string pem)
    {
        try
        {
            return PublicKeyFactory.CreateKey(Der(pem, "PUBLIC KEY")) as Ed25519PublicKeyParameters
                ?? throw new FormatException("the key is not an Ed25519 key");
        }
        catch (Exception e)
            when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException)
        {
            throw new FormatException($"not an Ed25519 public key in PEM: {e.Message}", e);
        }
    }

    private static byte[] Der(string pem, string label)
    {
        if (!System.Security.Cryptography.PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != label)
            throw new FormatException($"no '-----BEGIN {label}-----' block");
        return Convert.FromBase64String(pem[fields.Base64Data].ToString());
    }

    /// <summary>
    /// Signs the head of <paramref name="store"/>: its last sealed position and seal (run the follower first on a
    /// store whose seals follow the appends, so that it is the head).
    /// </summary>
    /// <exception cref="InvalidOperationException">no event is sealed yet.</exception>
    public static async Task<Anchor> CreateAsync(
        IEventStore store,
        Ed25519PrivateKeyParameters key,
        string storeDescription,
        DateTimeOffset now,
        CancellationToken cancellationToken = default
    )
    {
        // the last seal covers every event up to it: that is what is signed, whatever was appended since
        Seal? last = null;
        await foreach (var s in store.ReadSealsAsync(cancellationToken).ConfigureAwait(false))
            last = s;
        if (last is null)
            throw new InvalidOperationException("the log has no sealed event yet: there is nothing to anchor");
        var unsigned = new Anchor(
            last.GlobalPosition,
            last.Value,
            Input.RecordedAt.Of(now).ToString(),
            storeDescription,
            Convert.ToBase64String(key.GeneratePublicKey().GetEncoded()),
            ""
        );
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        var message = Encoding.UTF8.GetBytes(SignedText(unsigned));
        signer.BlockUpdate(message, 0, message.Length);
        return unsigned with { Signature = Convert.ToBase64String(signer.GenerateSignature()) };
    }

    /// <summary>The text an anchor's signature covers: canonical JSON of every field but the signature, with the format
    /// version.</summary>
    public static string SignedText(Anchor anchor) =>
        CanonicalJson.Of(
            new JObject
            {
                ["format"] = Format,
                ["globalPosition"] = anchor.GlobalPosition,
                ["seal"] = anchor.Seal.Hex,
                ["anchoredAt"] = anchor.AnchoredAt,
                ["store"] = anchor.Store,
                ["publicKey"] = anchor.PublicKey,
            }
        );

    /// <summary>One line of an anchor file: the signed fields and the signature, canonical JSON.</summary>
    public static string ToLine(Anchor anchor)
    {
        var json = Json(SignedText(anchor));
        json["signature"] = anchor.Signature;
        return CanonicalJson.Of(json);
    }

    /// <summary>Reads one line of an anchor file.</summary>
    /// <exception cref="FormatException">the line is not an anchor of this format.</exception>
    public static Anchor Parse(string line)
    {
        JObject json;
        try
        {
            json = Json(line);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            throw new FormatException($"not JSON: {e.Message}", e);
        }
        string Text(string name) =>
            json[name] is JValue { Type: JTokenType.String } v
                ? (string)v.Value!
                : throw new FormatException($"missing string field '{name}'");
        long Integer(string name) =>
            json[name] is JValue { Type: JTokenType.Integer, Value: long v }
                ? v
                : throw new FormatException($"missing integer field '{name}' (at most {long.MaxValue})");
        if (Integer("format") != Format)
            throw new FormatException($"not an anchor of format {Format}");
        if (!Digest.Parse(Text("seal")).Is(out var seal, out var problem))
            throw new FormatException($"seal {problem}");
        return new Anchor(
            Integer("globalPosition"),
            seal,
            Text("anchoredAt"),
            Text("store"),
            Text("publicKey"),
            Text("signature")
        );
    }

    /// <summary>JSON text as written: timestamps stay text, numbers are never floating point.</summary>
    private static JObject Json(string text)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text))
        {
            DateParseHandling = Newtonsoft.Json.DateParseHandling.None,
            FloatParseHandling = Newtonsoft.Json.FloatParseHandling.Decimal,
        };
        return JObject.Load(
            reader,
            new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error }
        );
    }

    /// <summary>Whether <paramref name="anchor"/>'s signature verifies with <paramref name="key"/> (and names
    /// it).</summary>
    public static bool IsSignedBy(Anchor anchor, Ed25519PublicKeyParameters key)
    {
        if (anchor.PublicKey != Convert.ToBase64String(key.GetEncoded()))
            return false;
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(anchor.Signature);
        }
        catch (FormatException)
        {
            return false;
        }
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        var message = Encoding.UTF8.GetBytes(SignedText(anchor));
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }

    /// <summary>
    /// Checks every anchor line against <paramref name="store"/>: each must be signed by <paramref name="key"/>,
    /// and the log must still hold its seal at its position. The first problem names the line.
    /// </summary>
    public static async Task<AnchorReport> VerifyAsync(
        IEventStore store,
        IReadOnlyList<string> lines,
        Ed25519PublicKeyParameters key,
        CancellationToken cancellationToken = default
    )
    {
        var seals = new Dictionary<long, Digest>();
        long lastSealed = 0;
        await foreach (var s in store.ReadSealsAsync(cancellationToken).ConfigureAwait(false))
        {
            seals[s.GlobalPosition] = s.Value;
            lastSealed = s.GlobalPosition;
        }
        Anchor? latest = null;
        var verified = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var where = $"anchor line {i + 1}";
            Anchor anchor;
            try
            {
                anchor = Parse(lines[i]);
            }
            catch (FormatException e)
            {
                return new AnchorReport(verified, latest, $"{where}: {e.Message}");
            }
            if (!IsSignedBy(anchor, key))
                return new AnchorReport(
                    verified,
                    latest,
                    $"{where} ({anchor.AnchoredAt}, position {anchor.GlobalPosition}): the signature does not verify "
                        + $"with the given public key: the anchor was altered or signed by another key"
                );
            if (anchor.GlobalPosition > lastSealed)
                return new AnchorReport(
                    verified,
                    latest,
                    $"{where}: the log was anchored at global position {anchor.GlobalPosition} on "
                        + $"{anchor.AnchoredAt}, but now ends at {lastSealed}: it was cut after it was anchored"
                );
            if (!seals.TryGetValue(anchor.GlobalPosition, out var seal))
                return new AnchorReport(
                    verified,
                    latest,
                    $"{where}: the log was anchored at global position {anchor.GlobalPosition} on "
                        + $"{anchor.AnchoredAt}, which no longer has a seal: the log was rewritten"
                );
            if (seal != anchor.Seal)
                return new AnchorReport(
                    verified,
                    latest,
                    $"{where}: the seal at global position {anchor.GlobalPosition} is {seal}, the anchor of "
                        + $"{anchor.AnchoredAt} signed {anchor.Seal}: the log up to there was rewritten"
                );
            verified++;
            if (latest is null || anchor.GlobalPosition >= latest.GlobalPosition)
                latest = anchor;
        }
        return new AnchorReport(verified, latest, null);
    }
}
