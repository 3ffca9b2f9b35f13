package org.execnet4j.transport.ssh;

import java.nio.file.Path;
import java.util.Optional;

/** Supplies the passphrase of an encrypted private key file; the ssh transport never prompts. */
@FunctionalInterface
public interface PassphraseProvider {

    /** No passphrases: encrypted keys are skipped with a warning. */
    PassphraseProvider NONE = key -> Optional.empty();

    /**
     * @param keyFile an encrypted private key file
     * @return its passphrase, or empty to skip that key
     */
    Optional<String> passphrase(Path keyFile);

    /**
     * @param passphrase the passphrase of every encrypted key
     * @return a provider giving it for every key file
     */
    static PassphraseProvider of(String passphrase) {
        Optional<String> value = Optional.of(passphrase);
        return key -> value;
    }
}
