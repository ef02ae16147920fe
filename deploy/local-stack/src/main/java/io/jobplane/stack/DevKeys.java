package io.jobplane.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The local platform's keys, made once and kept out of git: an RSA pair that signs and verifies
 * dev JWTs, and the AES-256 key that seals secrets. Production uses an OIDC issuer and a managed key.
 */
public final class DevKeys {

    /** Key id of the dev secret key in the services' keyring. */
    public static final String SECRET_KEY_ID = "dev-1";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String secretKey;

    private DevKeys(PrivateKey privateKey, PublicKey publicKey, String secretKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.secretKey = secretKey;
    }

    /** Loads the keys from {@code dir}, creating them on first use. */
    public static synchronized DevKeys ensure(Path dir) {
        try {
            Path priv = dir.resolve("privateKey.pem");
            Path pub = dir.resolve("publicKey.pem");
            Path secret = dir.resolve("secrets.key");
            if (!Files.exists(priv) || !Files.exists(pub) || !Files.exists(secret)) {
                create(dir, priv, pub, secret);
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(pem(priv)));
            PublicKey publicKey = rsa.generatePublic(new X509EncodedKeySpec(pem(pub)));
            return new DevKeys(privateKey, publicKey, Files.readString(secret).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write dev keys in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new StackException("dev keys in " + dir + " are unreadable; delete the folder to make new ones", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as one line of base64 DER, the form {@code quarkus.oidc.public-key} takes. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** Base64 of the 32-byte AES key that seals secrets. */
    public String secretKeyBase64() {
        return secretKey;
    }

    public String secretKeyId() {
        return SECRET_KEY_ID;
    }

    private static void create(Path dir, Path priv, Path pub, Path secret) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        write(priv, "PRIVATE KEY", pair.getPrivate().getEncoded());
        write(pub, "PUBLIC KEY", pair.getPublic().getEncoded());
        byte[] aes = new byte[32];
        new SecureRandom().nextBytes(aes);
        writePrivate(secret, Base64.getEncoder().encodeToString(aes) + "\n");
    }

    private static void write(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        writePrivate(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    private static byte[] pem(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(text);
    }
}
