package io.jobplane.api;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail) on a free port, and job-api's mailer pointed at it. */
public class MailServerResource implements QuarkusTestResourceLifecycleManager {

    private static GreenMail server;

    static synchronized GreenMail server() {
        return server;
    }

    @Override
    public synchronized Map<String, String> start() {
        server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        server.start();
        return Map.of("jobplane.notifications.mail-enabled", "true",
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(server.getSmtp().getPort()),
                "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.from", "jobplane@jobplane.test",
                "quarkus.mailer.mock", "false");
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
