/** Entry listeners and their events. */
package io.ferrite.jcache.event;
