/** How cache keys and values become the bytes of Redis strings: text where the type has one, a serializer otherwise. */
package io.ferrite.jcache.codec;
