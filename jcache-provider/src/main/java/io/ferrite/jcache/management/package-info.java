/** The JSR-107 MXBeans: configuration and statistics, on the platform MBean server. */
package io.ferrite.jcache.management;
