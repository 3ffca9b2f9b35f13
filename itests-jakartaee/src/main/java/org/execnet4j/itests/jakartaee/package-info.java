/** The web application the Payara Micro test deploys: servlets over an injected execnet4j group. */
package org.execnet4j.itests.jakartaee;
